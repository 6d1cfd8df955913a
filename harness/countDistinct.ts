import type { Client } from '@opensearch-project/opensearch';

/** Exact number of distinct combinations of the given keyword/numeric fields (paged composite aggregation). */
export async function countDistinct(client: Client, index: string, fields: readonly string[]): Promise<number> {
  let after: Record<string, unknown> | undefined;
  let n = 0;
  for (;;) {
    const composite = { size: 10_000, sources: fields.map((field, i) => ({ [`f${i}`]: { terms: { field } } })), ...(after ? { after } : {}) };
    const r = await client.search({ index, body: { size: 0, aggs: { k: { composite } } } as never });
    const agg = (r.body as unknown as { aggregations: { k: { buckets: unknown[]; after_key?: Record<string, unknown> } } }).aggregations.k;
    n += agg.buckets.length;
    if (agg.buckets.length === 0 || !agg.after_key) return n;
    after = agg.after_key;
  }
}
