import type { DeadLetterReason, RecordHeader, SourceRecord } from './types';

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
} as const;

export type Stage = 'processor' | 'indexer';

export interface DeadLetterRecord {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: RecordHeader[];
}

/**
 * The original bytes, untouched (so the record can be fixed and replayed), plus where it
 * came from and why it failed. Original headers are kept after ours.
 */
export function toDeadLetter(
  record: SourceRecord,
  reason: DeadLetterReason,
  stage: Stage,
  chain: string,
  nowMs: number,
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
  for (const header of record.headers) headers.push(header);
  return { key: record.key, value: record.value, headers };
}

/** Reads our headers back, e.g. for tests and the dead-letter inspection command. */
export function readDeadLetterHeaders(headers: readonly RecordHeader[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { key, value } of headers) if (key.startsWith('dlq.')) out[key] = value.toString('utf8');
  return out;
}
