import { z } from 'zod';
import { envInt, envList, guaranteeSettings, kafkaSettings, serviceSettings } from '../../pipeline/config';

const seconds = (fallback: number, min = 1, max = 86_400) => envInt(fallback, min, max);

/** Analytics settings (environment variables); each is documented in README.md#configuration. */
export const analyticsSettings = z.object({
  ...kafkaSettings,
  ...serviceSettings,
  ...guaranteeSettings,
  ANALYTICS_GROUP_ID: z.string().min(1).default('streamdex-analytics'),
  /** Tumbling window sizes of the aggregates, in seconds. */
  ANALYTICS_WINDOWS: envList(['10', '60'])
    .refine((l) => l.length > 0 && l.every((x) => /^[1-9][0-9]*$/.test(x) && Number(x) <= 86_400), 'a comma-separated list of whole seconds (1-86400), e.g. 10,60')
    .refine((l) => new Set(l).size === l.length, 'window sizes must differ')
    .transform((l) => l.map(Number)),
  /** How far behind the highest event time seen a partition's windows stay open. */
  ANALYTICS_ALLOWED_LATENESS_SECONDS: envInt(5, 0, 3600),
  ANALYTICS_BATCH_SIZE: envInt(1000, 1, 100_000),
  /** In flight: records polled and not yet handled, plus one held per open window. */
  ANALYTICS_MAX_IN_FLIGHT: envInt(1_000_000, 1000, 10_000_000),
  ALERT_LOGIN_BURST_COUNT: envInt(10, 1),
  ALERT_LOGIN_BURST_WINDOW_SECONDS: seconds(60),
  ALERT_TRAVEL_MAX_KMH: envInt(1000, 1),
  ALERT_TRAVEL_MIN_KM: envInt(500, 0),
  ALERT_TRAVEL_WINDOW_SECONDS: seconds(600),
  ALERT_FAILED_LOGIN_COUNT: envInt(5, 1),
  ALERT_FAILED_LOGIN_WINDOW_SECONDS: seconds(60),
  /** Dead letters above this percent of a window's records (dead letters + processed) raise dead_letter_spike... */
  ALERT_DEAD_LETTER_SHARE_PERCENT: envInt(20, 1, 99),
  /** ...when there are at least this many of them. */
  ALERT_DEAD_LETTER_MIN_COUNT: envInt(20, 1),
  ALERT_DEAD_LETTER_WINDOW_SECONDS: seconds(60),
  /** Lateness of the record-time windows of the share rule (record times are nearly in order). */
  ANALYTICS_RECORD_LATENESS_SECONDS: envInt(5, 0, 3600),
});

export type AnalyticsSettings = z.infer<typeof analyticsSettings>;
