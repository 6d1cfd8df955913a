import type { Client } from '@opensearch-project/opensearch';

/** Events per window (`<window start ms>` or `<window start ms>|<value>` with a dimension). */
export type WindowCounts = Map<string, number>;

/** What the analytics stage writes for a missing dimension field (README, "Analytics"). */
const MISSING_VALUE = 'none';

interface Buckets<T> {
  buckets: Array<{ key: number | string; doc_count: number } & T>;
}

/**
 * Raw events per closed window, counted over the raw index: a date_histogram on the event
 * time is aligned to the epoch, as the stage's tumbling windows are. With `field`, per window
 * and value of that field (missing as the stage counts it).
 */
export async function rawWindowCounts(os: Client, o: { index: string; timeField: string; sizeSeconds: number; beforeMs: number; field?: string }): Promise<WindowCounts> {
  const byValue = o.field ? { v: { terms: { field: o.field, size: 10_000, missing: MISSING_VALUE } } } : undefined;
  const r = await os.search({
    index: o.index,
    body: <Record<string, unknown>>{
      size: 0,
      query: { bool: { filter: [{ range: { [o.timeField]: { lt: new Date(o.beforeMs).toISOString() } } }] } },
      aggs: { w: { date_histogram: { field: o.timeField, fixed_interval: `${o.sizeSeconds}s`, min_doc_count: 1 }, ...(byValue ? { aggs: byValue } : {}) } },
    },
  });
  const w = (r.body as unknown as { aggregations: { w: Buckets<{ v?: Buckets<object> }> } }).aggregations.w;
  const out: WindowCounts = new Map();
  for (const b of w.buckets) {
    if (!byValue) out.set(String(b.key), b.doc_count);
    else for (const v of b.v!.buckets) out.set(`${b.key}|${v.key}`, v.doc_count);
  }
  return out;
}

/**
 * Aggregated events per window written by the analytics stage (summed over partitions),
 * windows ending at or before `beforeMs`. With `dimension`, per window and value.
 */
export async function aggregatedWindowCounts(os: Client, o: { index: string; sizeSeconds: number; beforeMs: number; dimension?: string; value?: string }): Promise<WindowCounts> {
  const dimension = o.dimension ?? 'all';
  const filter: object[] = [{ term: { 'window.size_seconds': o.sizeSeconds } }, { term: { dimension } }, { range: { 'window.end': { lte: new Date(o.beforeMs).toISOString() } } }];
  if (o.value !== undefined) filter.push({ term: { value: o.value } });
  const perValue = dimension !== 'all' && o.value === undefined;
  const sum = { n: { sum: { field: 'count' } } };
  const r = await os.search({
    index: o.index,
    body: <Record<string, unknown>>{
      size: 0,
      query: { bool: { filter } },
      aggs: { w: { terms: { field: 'window.start', size: 100_000 }, aggs: perValue ? { v: { terms: { field: 'value', size: 10_000 }, aggs: sum } } : sum } },
    },
  });
  type Sum = { n: { value: number } };
  const w = (r.body as unknown as { aggregations: { w: Buckets<Partial<Sum> & { v?: Buckets<Sum> }> } }).aggregations.w;
  const out: WindowCounts = new Map();
  for (const b of w.buckets) {
    if (!perValue) {
      if (b.n!.value > 0) out.set(String(b.key), b.n!.value);
    } else {
      for (const v of b.v!.buckets) if (v.n.value > 0) out.set(`${b.key}|${v.key}`, v.n.value);
    }
  }
  return out;
}

export interface WindowComparison {
  /** Windows (or window-value pairs) with raw events. */
  readonly windows: number;
  readonly raw: number;
  readonly aggregated: number;
  /** The first few that differ: [window start ISO (|value), raw, aggregated]. */
  readonly differing: ReadonlyArray<readonly [string, number | undefined, number | undefined]>;
  readonly differingCount: number;
}

export function compareWindowCounts(raw: WindowCounts, aggregated: WindowCounts, show = 5): WindowComparison {
  const total = (m: WindowCounts) => [...m.values()].reduce((x, y) => x + y, 0);
  const keys = [...new Set([...raw.keys(), ...aggregated.keys()])].filter((k) => aggregated.get(k) !== raw.get(k)).sort();
  const label = (k: string) => {
    const [start, value] = k.split('|');
    return `${new Date(Number(start)).toISOString()}${value === undefined ? '' : `|${value}`}`;
  };
  return {
    windows: raw.size,
    raw: total(raw),
    aggregated: total(aggregated),
    differing: keys.slice(0, show).map((k) => [label(k), raw.get(k), aggregated.get(k)] as const),
    differingCount: keys.length,
  };
}
