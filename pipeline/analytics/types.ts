/**
 * What a chain declares for the analytics stage (pipeline/chains/<chain>/analytics.ts), as
 * data: field paths into its processed document, never functions, so a declaration can be
 * printed, compared and tested.
 */
export interface ChainAnalytics {
  /** Topic the chain's window aggregates go to (before the namespace). */
  readonly aggregatesTopic: string;
  /** Field of the processed document with the event time (ISO 8601 or epoch ms). */
  readonly eventTimeField: string;
  /** Field that identifies the user; distinct users are counted on it. */
  readonly userField: string;
  /** Dimension name -> field path; every window has one aggregate per (dimension, value). */
  readonly dimensions: Readonly<Record<string, string>>;
  /** Sum name -> numeric field path, summed in every aggregate. */
  readonly sums: Readonly<Record<string, string>>;
  readonly rules: readonly RuleSpec[];
}

export const RuleKind = {
  /** More than `threshold` matching events of one key in one window. */
  COUNT: 'count',
  /** Two events of one key whose points imply more than `threshold` km/h. */
  TRAVEL: 'travel',
  /**
   * More than `threshold` percent of a window's records are dead letters, and at least
   * `minCount` of them: a share of the traffic, so a busy chain does not alert on its
   * usual few and a quiet one still does on a burst.
   */
  SHARE: 'share',
} as const;
export type RuleKind = (typeof RuleKind)[keyof typeof RuleKind];

export const RuleSource = {
  /** The chain's processed topic. */
  EVENTS: 'events',
  /**
   * The chain's dead-letter topic together with its processed topic, both by record time
   * (the source record's Kafka timestamp, which the processor puts on both): partition i of
   * one beside partition i of the other, as the consumer's range assignment keeps them.
   */
  DEAD_LETTERS: 'dead_letters',
} as const;
export type RuleSource = (typeof RuleSource)[keyof typeof RuleSource];

/** A match on one field: every condition of a rule must hold. */
export interface FieldCondition {
  readonly field: string;
  readonly equals: string | number | boolean;
}

/** An alert rule as declared; thresholds and windows are names of settings. */
export interface RuleSpec {
  readonly id: string;
  readonly kind: RuleKind;
  readonly source: RuleSource;
  /** Field path of the key (events); dead letters have the chain as their key. */
  readonly keyField?: string;
  readonly where?: readonly FieldCondition[];
  /** Field path of a { lat, lon } point (travel rules). */
  readonly pointField?: string;
  /** Field path of a label shown with each point (travel rules), e.g. the country. */
  readonly placeField?: string;
  /**
   * Travel rules: only pairs whose places differ count. Geolocation puts an ISP's addresses
   * anywhere in its country, so a home router and a phone of one user, minutes apart, are
   * often "2,000 km apart" without anyone moving.
   */
  readonly placesMustDiffer?: boolean;
  /** Setting holding the threshold: a count, or km/h for travel. */
  readonly thresholdSetting: string;
  /** Setting holding the window length in seconds. */
  readonly windowSetting: string;
  /** Travel rules: setting holding the minimum distance in km (nearby points are geolocation noise). */
  readonly minDistanceSetting?: string;
  /** Share rules: setting holding the fewest matching records that may alert. */
  readonly minCountSetting?: string;
}

/** A rule with its settings read: what the core evaluates. */
export interface Rule extends Omit<RuleSpec, 'thresholdSetting' | 'windowSetting' | 'minDistanceSetting' | 'minCountSetting'> {
  readonly threshold: number;
  readonly windowMs: number;
  readonly minDistanceKm: number;
  readonly minCount: number;
}

/** What one partition's windows are computed from: a chain's events or its dead letters. */
export interface StreamSpec {
  readonly chain: string;
  readonly source: RuleSource;
  /** Window sizes with aggregates (empty for dead letters). */
  readonly aggregateSizesMs: readonly number[];
  readonly allowedLatenessMs: number;
  readonly userField: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly sums: Readonly<Record<string, string>>;
  readonly rules: readonly Rule[];
}

/** One record as the windows see it. */
export interface WindowInput {
  readonly offset: number;
  readonly eventTimeMs: number;
  readonly eventId: string;
  readonly doc: Record<string, unknown>;
  /**
   * A dead letter beside the processed records (share rules): counted, but it never moves
   * the watermark, which the processed records drive (their offsets are the ones whose
   * commits carry the watermark's base).
   */
  readonly deadLetter?: boolean;
}

export interface AggregateDocument {
  readonly aggregate_id: string;
  readonly chain: string;
  readonly partition: number;
  readonly window: WindowFields;
  /** Dimension name, or "all" for the window's total. */
  readonly dimension: string;
  readonly value: string;
  readonly count: number;
  /** Distinct users (exact within the window and partition). */
  readonly users: number;
  readonly sum: Readonly<Record<string, number>>;
  /** Only on "all": events of this partition that arrived after their window closed, while this window was the newest. */
  readonly late_events?: number;
}

export interface WindowFields {
  readonly size_seconds: number;
  readonly start: string;
  readonly end: string;
}

export interface TravelPoint {
  readonly event_id: string;
  readonly time: string;
  readonly location: { readonly lat: number; readonly lon: number };
  readonly place?: string;
}

export interface AlertDocument {
  readonly alert_id: string;
  readonly rule: string;
  readonly chain: string;
  readonly key: string;
  readonly partition: number;
  readonly window: WindowFields;
  readonly threshold: number;
  readonly evidence: {
    readonly count: number;
    /** Up to MAX_EVIDENCE_IDS event ids, in event-time order. */
    readonly event_ids: readonly string[];
    readonly distance_km?: number;
    readonly speed_kmh?: number;
    /** Share rules: all records of the window (dead letters and processed events). */
    readonly total?: number;
    /** Share rules: count / total, in percent. */
    readonly share_percent?: number;
    readonly from?: TravelPoint;
    readonly to?: TravelPoint;
  };
}

/** A window that closed: what must be written before its records may be committed past. */
export interface ClosedWindow {
  readonly sizeMs: number;
  readonly startMs: number;
  readonly aggregates: readonly AggregateDocument[];
  readonly alerts: readonly AlertDocument[];
}

/** What the offset commit of a partition carries, so a restart knows what was closed. */
export interface PartitionCheckpoint {
  /** Highest event time of the records below the committed offset (the watermark's base). */
  readonly maxEventTimeMs: number | null;
  /** Per window size (ms): windows ending at or before this have been written and confirmed. */
  readonly closedThrough: Readonly<Record<string, number>>;
  /** The record-time windows of the share rules, kept in the commits of both paired partitions. */
  readonly recordTime?: { readonly maxEventTimeMs: number | null; readonly closedThrough: Readonly<Record<string, number>> };
}
