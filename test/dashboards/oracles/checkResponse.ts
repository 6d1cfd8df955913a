import { BUCKET_AGGS } from './aggregationTypes';
import { isRecord } from './json';
import { orderBuckets } from './toSearchBody';
import type { VisState } from './parseVisState';

/**
 * Whether a `_search` response to `toSearchBody` would draw something: at least one
 * non-empty bucket at every bucket level, and every metric other than count non-zero in
 * at least one innermost bucket. Returns the problems; empty when the panel has data.
 */
export function checkResponse(vis: VisState, response: unknown): string[] {
  if (!isRecord(response)) return ['response is not an object'];
  const enabled = vis.aggs.filter((a) => a.enabled !== false);
  const buckets = orderBuckets(enabled.filter((a) => BUCKET_AGGS.has(a.type)));
  const metrics = enabled.filter((a) => !BUCKET_AGGS.has(a.type) && a.type !== 'count');
  const hits = isRecord(response.hits) ? response.hits : {};
  const total = isRecord(hits.total) ? Number(hits.total.value) : Number(hits.total ?? 0);
  if (!(total > 0)) return ['the query matched no documents'];

  let level: Array<Record<string, unknown>> = [isRecord(response.aggregations) ? response.aggregations : {}];
  for (const b of buckets) {
    const next: Array<Record<string, unknown>> = [];
    for (const node of level) {
      const result = node[b.id];
      if (!isRecord(result)) continue;
      const list = Array.isArray(result.buckets) ? result.buckets : isRecord(result.buckets) ? Object.values(result.buckets) : [];
      next.push(...list.filter((x): x is Record<string, unknown> => isRecord(x) && Number(x.doc_count) > 0));
    }
    if (next.length === 0) return [`agg ${b.id} (${b.type} on ${String(b.params?.field ?? 'filters')}) returned no non-empty buckets`];
    level = next;
  }
  const problems: string[] = [];
  for (const m of metrics) {
    if (!level.some((node) => hasValue(node[m.id]))) problems.push(`metric ${m.id} (${m.type} of ${String(m.params?.field)}) is empty or zero everywhere`);
  }
  return problems;
}

function hasValue(result: unknown): boolean {
  if (!isRecord(result)) return false;
  if (typeof result.value === 'number') return result.value !== 0;
  if (isRecord(result.values)) return Object.values(result.values).some((v) => typeof v === 'number');
  if (isRecord(result.hits)) return Array.isArray(result.hits.hits) && result.hits.hits.length > 0;
  if (typeof result.count === 'number') return result.count > 0; // extended_stats, geo_centroid
  if (isRecord(result.bounds)) return true;
  return false;
}
