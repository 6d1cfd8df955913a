import type { GeneratedRecord, MalformedSpec } from './chains';

/** Every way a record can be broken; the processor must dead-letter each of them. */
export const MalformedKind = {
  NOT_JSON: 'not_json',
  NOT_OBJECT: 'not_object',
  WRONG_TYPE: 'wrong_type',
  MISSING_FIELD: 'missing_field',
  FUTURE_TIMESTAMP: 'future_timestamp',
  ANCIENT_TIMESTAMP: 'ancient_timestamp',
  OVERSIZED: 'oversized',
  INVALID_UTF8: 'invalid_utf8',
  EMPTY: 'empty',
  TOMBSTONE: 'tombstone',
} as const;
export type MalformedKind = (typeof MalformedKind)[keyof typeof MalformedKind];

const YEAR_MS = 365.25 * 24 * 3600_000;

/** Sizes above the processor's default MAX_RECORD_BYTES (64 KiB), well below the broker's 1 MB. */
const OVERSIZED_BYTES = 100 * 1024;

/** All kinds this chain supports: the generic ones plus its own (e.g. fractional_timestamp for logins). */
export function malformedKinds(spec: MalformedSpec): string[] {
  const timed = (k: string) => spec.timeField !== undefined || (k !== MalformedKind.FUTURE_TIMESTAMP && k !== MalformedKind.ANCIENT_TIMESTAMP);
  return [...Object.values(MalformedKind).filter(timed), ...Object.keys(spec.custom ?? {})];
}

/**
 * Breaks a valid record in the named way, keeping its topic and key so the broken record
 * travels the same path as real bad input would.
 */
export function corrupt(record: GeneratedRecord, kind: string, spec: MalformedSpec, pick: (n: number) => number, nowMs: number): GeneratedRecord {
  const value = (v: Buffer | null): GeneratedRecord => ({ ...record, value: v });
  const json = (o: unknown) => value(Buffer.from(JSON.stringify(o)));
  const parsed = (): Record<string, unknown> => JSON.parse(record.value!.toString('utf8')) as Record<string, unknown>;
  switch (kind) {
    case MalformedKind.NOT_JSON:
      return value(Buffer.from(`{"user_id": oops, ${record.value?.toString('utf8').slice(0, 40)}`));
    case MalformedKind.NOT_OBJECT:
      return json([['an array'], 'a string', 42, null][pick(4)]);
    case MalformedKind.WRONG_TYPE: {
      const v = parsed();
      v[spec.requiredFields[pick(spec.requiredFields.length)]!] = { unexpected: 'object' };
      return json(v);
    }
    case MalformedKind.MISSING_FIELD: {
      const v = parsed();
      delete v[spec.requiredFields[pick(spec.requiredFields.length)]!];
      return json(v);
    }
    case MalformedKind.FUTURE_TIMESTAMP:
      return json({ ...parsed(), [spec.timeField!]: formatTime(nowMs + 10 * YEAR_MS, spec.timeFormat!) });
    case MalformedKind.ANCIENT_TIMESTAMP:
      return json({ ...parsed(), [spec.timeField!]: formatTime(nowMs - 30 * YEAR_MS, spec.timeFormat!) });
    case MalformedKind.OVERSIZED:
      return json({ ...parsed(), padding: 'x'.repeat(OVERSIZED_BYTES) });
    case MalformedKind.INVALID_UTF8: {
      const text = record.value!.toString('utf8');
      const cut = text.indexOf('"', 2) + 1;
      return value(Buffer.concat([Buffer.from(text.slice(0, cut)), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from(text.slice(cut))]));
    }
    case MalformedKind.EMPTY:
      return value(Buffer.alloc(0));
    case MalformedKind.TOMBSTONE:
      return value(null);
    default: {
      const custom = spec.custom?.[kind];
      if (!custom) throw new Error(`unknown malformed kind ${kind}`);
      return json(custom(parsed()));
    }
  }
}

function formatTime(ms: number, format: MalformedSpec['timeFormat']): number | string {
  if (format === 'epoch_s') return Math.floor(ms / 1000);
  if (format === 'epoch_ms') return Math.floor(ms);
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}
