import type { DeadLetterReason, RecordHeader, RedactedValue, SourceRecord } from './types';

/** Header names on dead-lettered records; documented in README.md#dead-letters. */
export const DeadLetterHeader = {
  CODE: 'dlq.code',
  REASON: 'dlq.reason',
  FIELD: 'dlq.field',
  STAGE: 'dlq.stage',
  CHAIN: 'dlq.chain',
  SOURCE_TOPIC: 'dlq.source.topic',
  SOURCE_PARTITION: 'dlq.source.partition',
  SOURCE_OFFSET: 'dlq.source.offset',
  FAILED_AT: 'dlq.failed_at',
  /** Set only when the value was cut to fit: its original length in bytes. */
  VALUE_ORIGINAL_BYTES: 'dlq.value.original_bytes',
  /** Set only when the chain replaced secrets in the value: the field names, comma-separated. */
  REDACTED: 'dlq.redacted',
} as const;

/**
 * Largest dead letter (key + value + headers) we produce. The broker accepts records up
 * to ~1 MiB (message.max.bytes 1048588) and librdkafka refuses above 1,000,000 bytes by
 * default, so a record just under the broker's limit plus our headers would be undeliverable
 * and, retried forever, would stop its partition. Above this the value is cut.
 */
export const DEAD_LETTER_MAX_BYTES = 900_000;

export type Stage = 'processor' | 'indexer';

export interface DeadLetterRecord {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: RecordHeader[];
  /**
   * The source record's Kafka timestamp: a re-processed record's dead letter gets the same
   * time, so windows over dead letters (the analytics stage's share rule) are replay-exact.
   */
  readonly timestamp?: number;
}

/**
 * The original bytes, untouched (so the record can be fixed and replayed), plus where it
 * came from and why it failed. Original headers are kept after ours. A value too large to
 * be re-produced is cut to DEAD_LETTER_MAX_BYTES and says so in dlq.value.original_bytes.
 * With `redact` (a chain whose input holds secrets) the value is the redacted one, and
 * dlq.redacted names what was replaced.
 */
export function toDeadLetter(
  record: SourceRecord,
  reason: DeadLetterReason,
  stage: Stage,
  chain: string,
  nowMs: number,
  redact?: (value: Buffer) => RedactedValue,
): DeadLetterRecord {
  const h = (key: string, value: string): RecordHeader => ({ key, value: Buffer.from(value) });
  const headers: RecordHeader[] = [
    h(DeadLetterHeader.CODE, reason.code),
    h(DeadLetterHeader.REASON, reason.message.slice(0, 1000)),
    h(DeadLetterHeader.STAGE, stage),
    h(DeadLetterHeader.CHAIN, chain),
    h(DeadLetterHeader.SOURCE_TOPIC, record.topic),
    h(DeadLetterHeader.SOURCE_PARTITION, String(record.partition)),
    h(DeadLetterHeader.SOURCE_OFFSET, String(record.offset)),
    h(DeadLetterHeader.FAILED_AT, new Date(nowMs).toISOString()),
  ];
  if (reason.path) headers.push(h(DeadLetterHeader.FIELD, reason.path));
  const redacted = redact && record.value ? redact(record.value) : undefined;
  if (redacted && redacted.fields.length > 0) headers.push(h(DeadLetterHeader.REDACTED, redacted.fields.join(',')));
  const value = redacted ? redacted.value : record.value;
  for (const header of record.headers) headers.push(header);
  const time = record.timestamp !== undefined ? { timestamp: record.timestamp } : {};
  const size = (record.key?.length ?? 0) + headers.reduce((n, x) => n + x.key.length + x.value.length, 0);
  const room = Math.max(0, DEAD_LETTER_MAX_BYTES - size - 64);
  if (value && value.length > room) {
    headers.splice(8, 0, h(DeadLetterHeader.VALUE_ORIGINAL_BYTES, String(value.length)));
    return { key: record.key, value: value.subarray(0, room), headers, ...time };
  }
  return { key: record.key, value, headers, ...time };
}

/** Reads our headers back, e.g. for tests and the dead-letter inspection command. */
export function readDeadLetterHeaders(headers: readonly RecordHeader[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { key, value } of headers) if (key.startsWith('dlq.')) out[key] = value.toString('utf8');
  return out;
}
