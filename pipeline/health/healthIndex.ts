import type { Client } from '@opensearch-project/opensearch';
import { openSearchError } from '../errors';
import { describeOpenSearchError } from '../opensearch';

const keyword = { type: 'keyword', ignore_above: 256 } as const;
const long = { type: 'long' } as const;
const double = { type: 'double' } as const;
const date = { type: 'date' } as const;

/**
 * Health records live in one index per UTC day, `<prefix>-YYYY.MM.DD`, so retention is
 * deleting whole indices older than HEALTH_RETENTION_DAYS (pruneHealthIndices): no plugin
 * (OpenSearch's ISM is not in every distribution), nothing to roll over, and a record read
 * twice lands in the same day's index under the same id.
 */
export const HEALTH_INDEX_PREFIX = 'streamdex-health';

export interface HealthIndex {
  readonly prefix: string;
  readonly templateName: string;
  readonly template: Readonly<Record<string, unknown>>;
  readonly timeField: 'sampled_at';
}

export function healthIndex(namespace = ''): HealthIndex {
  const prefix = `${namespace}${HEALTH_INDEX_PREFIX}`;
  return {
    prefix,
    templateName: prefix,
    timeField: 'sampled_at',
    template: {
      index_patterns: [`${prefix}-*`],
      priority: 100,
      template: {
        settings: { number_of_shards: 1, number_of_replicas: 0, refresh_interval: '5s' },
        mappings: {
          dynamic: 'strict',
          properties: {
            kind: keyword,
            service: keyword,
            instance: keyword,
            sampled_at: date,
            interval_ms: long,
            uptime_s: long,
            rss_bytes: long,
            heap_used_bytes: long,
            heap_total_bytes: long,
            event_loop_delay_p99_ms: double,
            event_loop_delay_max_ms: double,
            in_flight: long,
            last_error: { type: 'keyword', ignore_above: 1024 },
            last_error_at: date,
            metric: keyword,
            chain: keyword,
            outcome: keyword,
            code: keyword,
            cause: keyword,
            count: long,
            per_second: double,
            total: double,
            avg: double,
            group: keyword,
            topic: keyword,
            partition: { type: 'integer' },
            committed_offset: long,
            high_watermark: long,
            lag: long,
          },
        },
      },
      _meta: { managed_by: 'streamdex' },
    },
  };
}

/** The day's index a record sampled at `sampledAt` (ISO) goes to. */
export function healthIndexFor(index: Pick<HealthIndex, 'prefix'>, sampledAt: string): string {
  const day = /^(\d{4})-(\d{2})-(\d{2})T/.exec(sampledAt);
  const [, y, m, d] = day ?? /^(\d{4})-(\d{2})-(\d{2})T/.exec(new Date().toISOString())!;
  return `${index.prefix}-${y}.${m}.${d}`;
}

export async function ensureHealthTemplate(client: Client, index: HealthIndex): Promise<void> {
  try {
    await client.indices.putIndexTemplate({ name: index.templateName, body: index.template as never });
  } catch (err) {
    throw openSearchError(`could not install the health template ${index.templateName}: ${describeOpenSearchError(err)}`, err);
  }
}

/**
 * Deletes the day indices older than `retentionDays` full days before `nowMs`; returns
 * their names. Indices whose name is not a day are left alone.
 */
export async function pruneHealthIndices(client: Client, index: Pick<HealthIndex, 'prefix'>, retentionDays: number, nowMs: number): Promise<string[]> {
  const res = await client.cat.indices({ index: `${index.prefix}-*`, format: 'json', h: 'index' } as never);
  const names = (res.body as unknown as Array<{ index: string }>).map((r) => r.index);
  const today = Date.UTC(new Date(nowMs).getUTCFullYear(), new Date(nowMs).getUTCMonth(), new Date(nowMs).getUTCDate());
  const cutoff = today - retentionDays * 86_400_000;
  const old = names.filter((name) => {
    const m = new RegExp(`^${escape(index.prefix)}-(\\d{4})\\.(\\d{2})\\.(\\d{2})$`).exec(name);
    return m !== null && Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) < cutoff;
  });
  if (old.length > 0) await client.indices.delete({ index: old.join(',') });
  return old;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
