import { z } from 'zod';
import { envBool, envInt, kafkaSettings, openSearchSettings, serviceSettings } from '../../pipeline/config';

/** Indexer settings (environment variables); each is documented in README.md#configuration. */
export const indexerSettings = z.object({
  ...kafkaSettings,
  ...openSearchSettings,
  ...serviceSettings,
  INDEXER_GROUP_ID: z.string().min(1).default('streamdex-indexer'),
  /** Also index the analytics stage's aggregates and alerts (their own templates and aliases). */
  ANALYTICS: envBool(false),
  BULK_MAX_DOCS: envInt(1000, 1, 100_000),
  BULK_MAX_BYTES: envInt(5 * 1024 * 1024, 1024, 100 * 1024 * 1024),
  BULK_FLUSH_MS: envInt(250, 1, 60_000),
  BULK_CONCURRENCY: envInt(2, 1, 64),
  /**
   * Unfinished records at which the indexer takes no more until half are finished; bounds
   * memory while OpenSearch is down. 4000 still keeps BULK_CONCURRENCY full requests in
   * flight and as many buffered after a resume (at half). A 30 s outage right after
   * full-speed indexing peaked at 217-265 MiB RSS (npm run bench, docs/benchmark.md).
   */
  INDEXER_MAX_IN_FLIGHT: envInt(4_000, 100, 1_000_000),
  INDEXER_BATCH_SIZE: envInt(1000, 1, 100_000),
  /** Days of health indices (one per UTC day, from HEALTH_TOPIC) kept besides today's; older ones are deleted. */
  HEALTH_RETENTION_DAYS: envInt(2, 1, 365),
  /**
   * The indices' refresh_interval: how soon an indexed document becomes searchable. Unset,
   * the chain templates' own (1s) applies and live indices are left alone; set, it goes into
   * the templates and onto the live indices at start.
   */
  INDEX_REFRESH_INTERVAL: z
    .string()
    .regex(/^(-1|[1-9][0-9]*(ms|s|m))$/, 'an OpenSearch time value such as 1s or 500ms, or -1 (only on request)')
    .optional(),
});

export type IndexerSettings = z.infer<typeof indexerSettings>;
