import type { RecordHeader } from '../../../pipeline/core';
import type { TopicsFacet } from '../../../pipeline/chains/types';
import type { EventsimDialect } from '../generators/music/EventsimDialect';

/** A record a generator wants produced. `value: null` is a tombstone. */
export interface GeneratedRecord {
  readonly topic: string;
  readonly key: string | null;
  readonly value: Buffer | null;
  /** Event time; the producer paces on it when replaying simulated time at wall-clock speed. */
  readonly eventTimeMs: number;
  readonly headers?: readonly RecordHeader[];
  /** The record's Kafka timestamp; unset, the producer's clock at send. */
  readonly timestampMs?: number;
  /** Broken on purpose (an injected dead-letter spike): counted under this kind, never as valid. */
  readonly malformedKind?: string;
}

export interface GeneratorOptions {
  readonly seed: number;
  /** Simulated time starts here and advances by the generator's own gaps... */
  readonly startTimeMs: number;
  /** ...unless a clock is given: live producing stamps events with the wall clock. */
  readonly now?: () => number;
  /** Music only: which Eventsim to write like (default the Kafka fork). */
  readonly eventsimDialect?: EventsimDialect;
  /** The event shape, for a generator that has several (login: `users` | `takehome`). */
  readonly shape?: string;
}

export type ChainGenerator = (options: GeneratorOptions) => Iterator<GeneratedRecord>;

/** How the producer corrupts this chain's records when asked for malformed input. */
export interface MalformedSpec {
  readonly requiredFields: readonly string[];
  /** Absent for a chain whose event time is the record's Kafka time: no time corruptions then. */
  readonly timeField?: string;
  readonly timeFormat?: 'epoch_s' | 'epoch_ms' | 'datetime_text';
  /** Chain-specific corruptions, e.g. an impossible IP address for logins. */
  readonly custom?: Readonly<Record<string, (value: Record<string, unknown>) => Record<string, unknown>>>;
}

/** The producer's facet of a chain: the topics it writes, its traffic and how to break it. */
export interface GenerationFacet extends TopicsFacet {
  readonly generator: ChainGenerator;
  readonly malformed: MalformedSpec;
}
