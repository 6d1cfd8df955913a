import type { SavedObject } from '../../../dashboards/types';
import { isRecord, parseJson } from './json';

export interface VisAgg {
  readonly id: string;
  readonly type: string;
  readonly enabled?: boolean;
  readonly schema?: string;
  readonly params?: Record<string, unknown>;
}

export interface VisState {
  readonly title?: string;
  readonly type: string;
  readonly params: Record<string, unknown>;
  readonly aggs: readonly VisAgg[];
}

export function parseVisState(o: SavedObject): VisState {
  const vis = parseJson(o.attributes.visState);
  if (!isRecord(vis)) throw new Error('visState is not a JSON object string');
  if (typeof vis.type !== 'string') throw new Error('visState.type is missing');
  const aggs = vis.aggs ?? [];
  if (!Array.isArray(aggs) || !aggs.every(isVisAgg)) throw new Error('visState.aggs must be an array of {id, type, params}');
  return { ...(typeof vis.title === 'string' ? { title: vis.title } : {}), type: vis.type, params: isRecord(vis.params) ? vis.params : {}, aggs };
}

/** The visualizations of a file that query the index (everything but markdown and controls). */
export function queryingVisualizations(objects: readonly SavedObject[]): Array<{ object: SavedObject; vis: VisState }> {
  return objects
    .filter((o) => o.type === 'visualization')
    .map((object) => ({ object, vis: parseVisState(object) }))
    .filter(({ vis }) => vis.aggs.some((a) => a.enabled !== false));
}

export function isVisAgg(v: unknown): v is VisAgg {
  return isRecord(v) && typeof v.id === 'string' && typeof v.type === 'string' && (v.params === undefined || isRecord(v.params));
}
