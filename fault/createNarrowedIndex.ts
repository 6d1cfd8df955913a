import type { Client } from '@opensearch-project/opensearch';
import { INDEXED_AT_PIPELINE, type IndexSpec } from '../pipeline/opensearch';

/**
 * Prepares the chain's index the way the indexer would (ingest pipeline, template, first
 * index behind the write alias), except that one field is narrowed to `type`: documents
 * whose value does not fit are refused by OpenSearch for good. The indexer's own setup
 * finds the alias and leaves the index alone.
 */
export async function createNarrowedIndex(client: Client, spec: IndexSpec, field: string, type: string): Promise<void> {
  await client.ingest.putPipeline({ id: INDEXED_AT_PIPELINE.id, body: INDEXED_AT_PIPELINE.body as never });
  await client.indices.putIndexTemplate({ name: spec.templateName, body: spec.template as never });
  const parts = field.split('.');
  let mapping: Record<string, unknown> = { type };
  for (let i = parts.length - 1; i >= 0; i--) mapping = i === parts.length - 1 ? { [parts[i]!]: mapping } : { [parts[i]!]: { properties: mapping } };
  await client.indices.create({
    index: spec.initialIndex,
    body: { aliases: { [spec.alias]: { is_write_index: true } }, mappings: { properties: mapping } } as never,
  });
}
