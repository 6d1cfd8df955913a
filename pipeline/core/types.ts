import type { z } from 'zod';

/** A record as it was read from Kafka: the coordinates and the untouched bytes. */
export interface SourceRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly RecordHeader[];
  /** Broker/producer timestamp in epoch ms, when Kafka gave one. */
  readonly timestamp?: number | undefined;
}

export interface RecordHeader {
  readonly key: string;
  readonly value: Buffer;
}

export const DeadLetterCode = {
  TOMBSTONE: 'tombstone',
  EMPTY_VALUE: 'empty_value',
  TOO_LARGE: 'too_large',
  INVALID_UTF8: 'invalid_utf8',
  NOT_JSON: 'not_json',
  NOT_OBJECT: 'not_object',
  SCHEMA: 'schema_violation',
  TIMESTAMP_OUT_OF_RANGE: 'timestamp_out_of_range',
  ENRICH_FAILED: 'enrich_failed',
  UNKNOWN_TOPIC: 'unknown_topic',
  INDEX_REJECTED: 'index_rejected',
  DOCUMENT_UNREADABLE: 'document_unreadable',
  /** The processed or routed output could not be delivered for good (a non-retryable error). */
  DELIVERY_FAILED: 'delivery_failed',
} as const;
export type DeadLetterCode = (typeof DeadLetterCode)[keyof typeof DeadLetterCode];

export interface DeadLetterReason {
  readonly code: DeadLetterCode;
  readonly message: string;
  /** Dotted path of the failing field, when one field is to blame (e.g. `timestamp`). */
  readonly path?: string | undefined;
}

export type Outcome<D = object> =
  | { readonly kind: 'ok'; readonly id: string; readonly key: string | null; readonly document: D }
  | { readonly kind: 'dead'; readonly reason: DeadLetterReason }
  | { readonly kind: 'filtered'; readonly rule: string; readonly topic: string | null };

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

/** What processRecord itself reads of the context; `nowMs` is set per batch. */
export interface EventWindow {
  readonly nowMs: number;
  readonly maxEventAgeMs: number;
  readonly maxFutureSkewMs: number;
}

/**
 * How one chain turns a raw record into a document: all processRecord needs of it. `Ctx`
 * carries what the chain's enrichment depends on besides the record.
 */
export interface ChainProcessing<Raw = any, Doc extends object = object, Ctx extends EventWindow = EventWindow> {
  readonly name: string;
  /** Validates one parsed record of `topic`; undefined when the topic is not an input. */
  schemaFor(topic: string): z.ZodType<Raw> | undefined;
  /**
   * Event time in epoch ms and the field it came from, for the age/skew check; `path` empty
   * when the time is not a field of the record but its Kafka timestamp (`source`).
   */
  eventTime(raw: Raw, source: SourceCoordinates): { readonly ms: number; readonly path: string };
  /** An id the source gave the event, when it has one; otherwise coordinates are used. */
  sourceEventId?(raw: Raw): string | undefined;
  /** Key of the processed record, so one user's events stay ordered in one partition. */
  outputKey(raw: Raw): string | null;
  enrich(raw: Raw, meta: EnrichMeta, ctx: Ctx): Doc;
  /**
   * For a record that may carry several events (an API response with a list): the items,
   * each validated and enriched as an event of its own, and the field they came from;
   * undefined when the record is one event. See processRecordAll.
   */
  split?(value: Record<string, unknown>): { readonly path: string; readonly items: readonly unknown[] } | undefined;
  /**
   * The value a dead letter of this chain carries instead of the original bytes, for a
   * chain whose input holds secrets (randomuser.me's passwords and hashes): the secrets
   * replaced, everything else as it was, so the record can still be fixed and replayed.
   */
  redactDeadLetter?(value: Buffer): RedactedValue;
}

export interface RedactedValue {
  readonly value: Buffer;
  /** Field names whose values were replaced; empty when the value had none. */
  readonly fields: readonly string[];
}
