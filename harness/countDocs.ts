import type { Client } from '@opensearch-project/opensearch';

/** Documents searchable in an index or alias after a refresh (those matching `query`, if given); 0 while it does not exist yet. */
export async function countDocs(client: Client, index: string, query?: unknown): Promise<number> {
  try {
    await client.indices.refresh({ index });
    const r = await client.count({ index, ...(query ? { body: { query } as never } : {}) });
    return (r.body as { count: number }).count;
  } catch (err) {
    if ((err as { meta?: { statusCode?: number } }).meta?.statusCode === 404) return 0;
    throw err;
  }
}
