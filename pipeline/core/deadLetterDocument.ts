import { DeadLetterHeader } from './deadLetter';
import type { RecordHeader, SourceRecord } from './types';

/** Bytes of a value, key or header shown in a dead letter's document; the topic keeps them all. */
export const PREVIEW_MAX_BYTES = 512;
const HEADER_PREVIEW_MAX_BYTES = 256;
const MAX_HEADERS = 32;

export const PreviewEncoding = { UTF8: 'utf8', BASE64: 'base64', NONE: 'none' } as const;
export type PreviewEncoding = (typeof PreviewEncoding)[keyof typeof PreviewEncoding];

export interface Preview {
  readonly text: string;
  readonly encoding: PreviewEncoding;
  /** True when the bytes were longer than the preview shows. */
  readonly truncated: boolean;
}

/** The document the indexer writes for one record of a dead-letter topic (mapping: pipeline/chains/deadLetterIndex.ts). */
export interface DeadLetterDocument {
  readonly chain: string;
  readonly stage: string;
  readonly code: string;
  readonly reason: string;
  readonly field?: string;
  readonly failed_at?: string;
  readonly source: { readonly topic: string; readonly partition?: number; readonly offset?: number };
  /** Where this dead letter itself is in Kafka, the source of truth for a replay. */
  readonly dead_letter: { readonly topic: string; readonly partition: number; readonly offset: number; readonly timestamp?: number };
  readonly value: {
    /** Length of the value the failing record had (before a cut to fit the topic); 0 for a tombstone. */
    readonly original_bytes: number;
    readonly tombstone: boolean;
    readonly preview?: string;
    readonly preview_encoding: PreviewEncoding;
    readonly preview_truncated: boolean;
  };
  readonly key?: string;
  readonly headers?: ReadonlyArray<{ readonly key: string; readonly value: string; readonly encoding: PreviewEncoding }>;
  /** A command that prints this one dead letter (headers and value) from Kafka. */
  readonly read_command: string;
}

/**
 * One record of a dead-letter topic as a searchable document. Its id is the failing
 * record's source coordinates, so a dead letter written twice (the topic is at-least-once)
 * or replayed overwrites its document. Never throws: a record on the topic without our
 * headers (written by someone else) is indexed under its own coordinates with code
 * `unknown`, so nothing on the topic is invisible.
 */
export function deadLetterDocument(record: SourceRecord, fallbackChain: string, brokers: string): { id: string; document: DeadLetterDocument } {
  const ours = new Map<string, string>();
  const original: RecordHeader[] = [];
  for (const h of record.headers) {
    if (h.key.startsWith('dlq.') && !ours.has(h.key)) ours.set(h.key, h.value.toString('utf8'));
    else original.push(h);
  }
  const get = (k: string) => ours.get(k);
  const int = (k: string): number | undefined => {
    const v = get(k);
    return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
  };
  const sourceTopic = get(DeadLetterHeader.SOURCE_TOPIC);
  const partition = int(DeadLetterHeader.SOURCE_PARTITION);
  const offset = int(DeadLetterHeader.SOURCE_OFFSET);
  const id =
    sourceTopic !== undefined && partition !== undefined && offset !== undefined
      ? `${sourceTopic}-${partition}-${offset}`
      : `dead-letter:${record.topic}-${record.partition}-${record.offset}`;
  const failedAt = get(DeadLetterHeader.FAILED_AT);
  const preview = previewOf(record.value, PREVIEW_MAX_BYTES);
  const key = record.key ? previewOf(record.key, HEADER_PREVIEW_MAX_BYTES) : undefined;
  const headers = original.slice(0, MAX_HEADERS).map((h) => {
    const p = previewOf(h.value, HEADER_PREVIEW_MAX_BYTES);
    return { key: h.key.slice(0, 256), value: p.text, encoding: p.encoding };
  });
  const field = get(DeadLetterHeader.FIELD);
  const document: DeadLetterDocument = {
    chain: get(DeadLetterHeader.CHAIN) ?? fallbackChain,
    stage: get(DeadLetterHeader.STAGE) ?? 'unknown',
    code: get(DeadLetterHeader.CODE) ?? 'unknown',
    reason: get(DeadLetterHeader.REASON) ?? 'record on the dead-letter topic without dlq.* headers',
    ...(field !== undefined ? { field } : {}),
    ...(failedAt !== undefined && !Number.isNaN(Date.parse(failedAt)) ? { failed_at: failedAt } : {}),
    source: { topic: sourceTopic ?? record.topic, ...(partition !== undefined ? { partition } : {}), ...(offset !== undefined ? { offset } : {}) },
    dead_letter: {
      topic: record.topic,
      partition: record.partition,
      offset: record.offset,
      ...(record.timestamp !== undefined ? { timestamp: record.timestamp } : {}),
    },
    value: {
      original_bytes: int(DeadLetterHeader.VALUE_ORIGINAL_BYTES) ?? record.value?.length ?? 0,
      tombstone: record.value === null,
      ...(record.value !== null ? { preview: preview.text } : {}),
      preview_encoding: preview.encoding,
      preview_truncated: preview.truncated,
    },
    ...(key ? { key: key.text } : {}),
    ...(headers.length > 0 ? { headers } : {}),
    read_command: `kcat -C -b ${brokers} -t ${record.topic} -p ${record.partition} -o ${record.offset} -c 1 -e -f '%h\\n%s\\n'`,
  };
  return { id, document };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * At most `maxBytes` of the bytes as text: UTF-8 when they are valid UTF-8 without NUL
 * (a cut in the middle of a character is moved back to its start), else base64, which
 * any byte survives and which OpenSearch and JSON take as it is.
 */
export function previewOf(bytes: Buffer | null, maxBytes: number): Preview {
  if (bytes === null) return { text: '', encoding: PreviewEncoding.NONE, truncated: false };
  const truncated = bytes.length > maxBytes;
  const head = bytes.subarray(0, maxBytes);
  // A cut can split a character of up to 4 bytes; back up over its continuation bytes.
  for (let end = head.length; end >= Math.max(0, head.length - (truncated ? 3 : 0)); end--) {
    const part = head.subarray(0, end);
    const text = decode(part);
    if (text !== undefined) return { text, encoding: PreviewEncoding.UTF8, truncated: truncated || end < head.length };
  }
  const raw = bytes.subarray(0, Math.floor((maxBytes * 3) / 4));
  return { text: raw.toString('base64'), encoding: PreviewEncoding.BASE64, truncated: bytes.length > raw.length };
}

function decode(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}
