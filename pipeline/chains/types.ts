import type { z } from 'zod';
import type { RecordHeader } from '../core/types';

export const ChainName = { LOGIN: 'login', MUSIC: 'music', INTERACTIONS: 'interactions' } as const;
export type ChainName = (typeof ChainName)[keyof typeof ChainName];

export interface ChainTopics {
  /** Raw topics the processor consumes. */
  readonly inputs: readonly string[];
  /** Enriched records, consumed by the indexer. */
  readonly output: string;
  /** Everything either stage could not handle, with the reason in headers. */
  readonly deadLetter: string;
}

export const IpMode = { KEEP: 'keep', MASK: 'mask', HASH: 'hash' } as const;
export type IpMode = (typeof IpMode)[keyof typeof IpMode];

/** What enrichment may depend on besides the record; fixed per process, `nowMs` per batch. */
export interface ProcessingContext {
  readonly nowMs: number;
  readonly ipMode: IpMode;
  readonly ipHashSecret: string | undefined;
  readonly currentAppVersion: string;
  readonly maxEventAgeMs: number;
  readonly maxFutureSkewMs: number;
}

export interface SourceCoordinates {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /** Kafka timestamp of the raw record (producer create time), epoch ms: start of the latency clock. */
  readonly timestamp?: number | undefined;
}

export interface EnrichMeta {
  readonly eventId: string;
  readonly eventTimeMs: number;
  readonly source: SourceCoordinates;
}

/** A record a generator wants produced. `value: null` is a tombstone. */
export interface GeneratedRecord {
  readonly topic: string;
  readonly key: string | null;
  readonly value: Buffer | null;
  /** Event time; the producer paces on it when replaying simulated time at wall-clock speed. */
  readonly eventTimeMs: number;
  readonly headers?: readonly RecordHeader[];
}

export interface GeneratorOptions {
  readonly seed: number;
  /** Simulated time starts here and advances by the generator's own gaps... */
  readonly startTimeMs: number;
  /** ...unless a clock is given: live producing stamps events with the wall clock. */
  readonly now?: () => number;
}

export type ChainGenerator = (options: GeneratorOptions) => Iterator<GeneratedRecord>;

/** How the producer corrupts this chain's records when asked for malformed input. */
export interface MalformedSpec {
  readonly requiredFields: readonly string[];
  readonly timeField: string;
  readonly timeFormat: 'epoch_s' | 'epoch_ms' | 'datetime_text';
  /** Chain-specific corruptions, e.g. an impossible IP address for logins. */
  readonly custom?: Readonly<Record<string, (value: Record<string, unknown>) => Record<string, unknown>>>;
}

export interface IndexSpec {
  /** Alias the indexer writes to and the dashboard's index pattern reads. */
  readonly alias: string;
  /** Concrete index created behind the alias on first start. */
  readonly initialIndex: string;
  readonly templateName: string;
  /** Body for PUT _index_template/<templateName>. */
  readonly template: Readonly<Record<string, unknown>>;
  readonly timeField: string;
}

/**
 * Everything that makes a topic chain, in one place: adding a chain means writing one of
 * these and listing it in the registry. The processor, indexer, producer, topic creation,
 * template installation and dashboard import all read from it.
 */
export interface ChainDefinition<Raw = any, Doc extends object = object> {
  readonly name: ChainName;
  readonly title: string;
  readonly topics: ChainTopics;
  /** Validates one parsed record of `topic`; undefined when the topic is not an input. */
  schemaFor(topic: string): z.ZodType<Raw> | undefined;
  /** Event time in epoch ms and the field it came from, for the age/skew check. */
  eventTime(raw: Raw): { readonly ms: number; readonly path: string };
  /** An id the source gave the event, when it has one; otherwise coordinates are used. */
  sourceEventId?(raw: Raw): string | undefined;
  /** Key of the processed record, so one user's events stay ordered in one partition. */
  outputKey(raw: Raw): string | null;
  enrich(raw: Raw, meta: EnrichMeta, ctx: ProcessingContext): Doc;
  readonly index: IndexSpec;
  /** Saved-objects file under dashboards/. */
  readonly dashboard: string;
  readonly generator: ChainGenerator;
  readonly malformed: MalformedSpec;
}
