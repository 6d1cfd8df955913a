import { z } from 'zod';
import { envInt, guaranteeSettings, kafkaSettings, serviceSettings } from '../../pipeline/config';
import { filterRulesSchema } from '../../pipeline/core';
import { IpMode } from '../../pipeline/enrich';

/** Processor settings (environment variables); each is documented in README.md#configuration. */
export const processorSettings = z
  .object({
    ...kafkaSettings,
    ...serviceSettings,
    ...guaranteeSettings,
    PROCESSOR_GROUP_ID: z.string().min(1).default('streamdex-processor'),
    /** keep | mask (a.b.c.xxx) | hash (HMAC-SHA256 with IP_HASH_SECRET). */
    IP_MODE: z.enum([IpMode.KEEP, IpMode.MASK, IpMode.HASH]).default(IpMode.MASK),
    IP_HASH_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
    /** Versions below this are flagged app.outdated. */
    CURRENT_APP_VERSION: z.string().regex(/^\d+\.\d+(\.\d+)?$/, 'must be a version like 2.3.0').default('2.3.0'),
    MAX_RECORD_BYTES: envInt(64 * 1024, 256, 16 * 1024 * 1024),
    MAX_EVENT_AGE_DAYS: envInt(3650, 1),
    MAX_FUTURE_SKEW_SECONDS: envInt(3600, 0),
    /** JSON array of filter rules, see pipeline/core/filters.ts. */
    FILTER_RULES: z
      .string()
      .default('[]')
      .transform((s, ctx) => {
        try {
          return JSON.parse(s) as unknown;
        } catch {
          ctx.addIssue({ code: 'custom', message: 'must be a JSON array of rules' });
          return z.NEVER;
        }
      })
      .pipe(filterRulesSchema),
    PROCESSOR_BATCH_SIZE: envInt(1000, 1, 100_000),
    // Each unfinished record holds its input and output buffers: 5000 kept the same catch-up
    // speed as 20000 with 50 MiB less RSS (node dist/bench/catchUp.js processor, docs/benchmark.md).
    PROCESSOR_MAX_IN_FLIGHT: envInt(5_000, 100, 1_000_000),
    PROCESSOR_LINGER_MS: envInt(5, 0, 1000),
  })
  .superRefine((c, ctx) => {
    if (c.IP_MODE === IpMode.HASH && !c.IP_HASH_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['IP_HASH_SECRET'], message: 'is required when IP_MODE=hash' });
    }
  });

export type ProcessorSettings = z.infer<typeof processorSettings>;
