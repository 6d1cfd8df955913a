/** Retention of the health data; the sampling settings are in serviceSettings (pipeline/config). */
export const HEALTH_DEFAULTS = {
  /** Hours the health topic keeps records: the index is the history, the topic a buffer. */
  topicRetentionHours: 24,
} as const;
