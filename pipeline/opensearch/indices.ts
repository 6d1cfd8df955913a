import type { Client } from '@opensearch-project/opensearch';
import { errorMessage, openSearchError } from '../errors';
import type { IndexSpec } from './types';

/**
 * Ingest pipeline every index template names as default: when the document reached
 * OpenSearch (`indexed_at`), and, for a document that carries its raw record's Kafka
 * timestamp (`source.timestamp`, epoch ms), the end-to-end latency from that timestamp to
 * `indexed_at` in ms (`latency_ms`). Computed here, on OpenSearch's own clock at ingest,
 * rather than in the indexer, which would miss the time a bulk request waits and is retried.
 * Its id is its own: indices made from templates without `latency_ms` name
 * `streamdex-indexed-at` and would refuse the field (strict mappings).
 */
export const INDEXED_AT_PIPELINE = {
  id: 'streamdex-indexed-at-latency',
  body: {
    description: 'Streamdex: stamp indexed_at with the ingest time and latency_ms since the raw record\'s Kafka timestamp',
    processors: [
      { set: { field: 'indexed_at', value: '{{_ingest.timestamp}}' } },
      {
        script: {
          lang: 'painless',
          if: 'ctx.source instanceof Map && ctx.source.timestamp instanceof Number',
          source: 'ctx.latency_ms = ZonedDateTime.parse(ctx.indexed_at).toInstant().toEpochMilli() - ((Number) ctx.source.timestamp).longValue();',
        },
      },
    ],
  },
} as const;

export interface EnsureIndexOptions {
  /** Overrides the template's refresh_interval, in the template and on the live indices. */
  readonly refreshInterval?: string;
}

/**
 * Installs (or updates) the chain's index template, then makes sure the alias exists,
 * pointing at a first concrete index. Runs before the first write; safe to run from
 * several indexers at once.
 */
export async function ensureIndex(client: Client, spec: IndexSpec, options: EnsureIndexOptions = {}): Promise<void> {
  const { refreshInterval } = options;
  try {
    await client.ingest.putPipeline({ id: INDEXED_AT_PIPELINE.id, body: INDEXED_AT_PIPELINE.body as never });
    await client.indices.putIndexTemplate({ name: spec.templateName, body: withRefreshInterval(spec.template, refreshInterval) as never });
    const exists = await client.indices.existsAlias({ name: spec.alias });
    if (exists.body === true) {
      // Templates apply only to new indices; refresh_interval is dynamic, so set it on the live ones too.
      if (refreshInterval) await client.indices.putSettings({ index: spec.alias, body: { index: { refresh_interval: refreshInterval } } as never });
      return;
    }
    await client.indices.create({
      index: spec.initialIndex,
      body: { aliases: { [spec.alias]: { is_write_index: true } } },
    });
  } catch (err) {
    if (isAlreadyExists(err)) return;
    throw openSearchError(`could not prepare index ${spec.alias}: ${describe(err)}`, err);
  }
}

function withRefreshInterval(template: IndexSpec['template'], refreshInterval: string | undefined): unknown {
  if (!refreshInterval) return template;
  const inner = template.template as { settings?: Record<string, unknown> };
  return { ...template, template: { ...inner, settings: { ...inner.settings, refresh_interval: refreshInterval } } };
}

function isAlreadyExists(err: unknown): boolean {
  return describe(err).includes('resource_already_exists_exception');
}

export function describe(err: unknown): string {
  const body = (err as { meta?: { body?: unknown } }).meta?.body;
  return body ? JSON.stringify(body).slice(0, 500) : errorMessage(err);
}
