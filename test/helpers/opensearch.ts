import type { Client } from '@opensearch-project/opensearch';
import { createOpenSearchClient } from '../../pipeline/opensearch';
import { OPENSEARCH_URL } from './env';

/** A client for one test file; indices and templates it names are deleted after the file. */
export function useOpenSearch(): { client: () => Client; cleanup(pattern: string): void } {
  let client: Client | undefined;
  const patterns: string[] = [];
  afterAll(async () => {
    if (!client) return;
    for (const p of patterns) {
      await client.indices.delete({ index: p, expand_wildcards: 'all' } as never).catch(() => undefined);
      await client.indices.deleteIndexTemplate({ name: p }).catch(() => undefined);
    }
    await client.close();
  });
  return {
    client: () => (client ??= createOpenSearchClient({ url: OPENSEARCH_URL })),
    cleanup: (pattern) => patterns.push(pattern),
  };
}
