/** What every health record says about where it comes from. */
interface HealthBase {
  /** Service name (consumer-processor, consumer-indexer, producer). */
  readonly service: string;
  /** One process of it: host and pid, so several replicas are told apart. */
  readonly instance: string;
  readonly sampled_at: string;
  /** Time since the previous sample of this process: what `count` and `per_second` cover. */
  readonly interval_ms: number;
}

/** The process itself: memory, event loop, in-flight records, the last error logged. */
export interface ProcessHealth extends HealthBase {
  readonly kind: 'process';
  readonly uptime_s: number;
  readonly rss_bytes: number;
  readonly heap_used_bytes: number;
  readonly heap_total_bytes: number;
  readonly event_loop_delay_p99_ms: number;
  readonly event_loop_delay_max_ms: number;
  /** Records taken from Kafka and not yet finished; absent for a service that consumes nothing. */
  readonly in_flight?: number;
  readonly last_error?: string;
  readonly last_error_at?: string;
}

/** One series of one of the service's counters (records by outcome, retries, ...), as a delta. */
export interface CounterHealth extends HealthBase {
  readonly kind: 'counter';
  readonly metric: string;
  readonly chain?: string;
  readonly outcome?: string;
  readonly code?: string;
  readonly cause?: string;
  /** Increase since the previous sample (since start for the first): the samples sum to the total. */
  readonly count: number;
  readonly per_second: number;
  readonly total: number;
}

/** One histogram of the service (bulk request duration, size), over the interval. */
export interface TimingHealth extends HealthBase {
  readonly kind: 'timing';
  readonly metric: string;
  readonly count: number;
  readonly per_second: number;
  /** Mean observed value over the interval; absent when nothing was observed. */
  readonly avg?: number;
}

/** Consumer lag of one assigned partition: high watermark minus the group's committed offset. */
export interface LagHealth extends HealthBase {
  readonly kind: 'lag';
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
  readonly committed_offset: number;
  readonly high_watermark: number;
  readonly lag: number;
}

export type HealthRecord = ProcessHealth | CounterHealth | TimingHealth | LagHealth;
