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
