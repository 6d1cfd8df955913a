import { isUtf8 } from 'node:buffer';
import { DeadLetterCode, type DeadLetterReason } from './types';

export type Decoded = { ok: true; value: Record<string, unknown> } | { ok: false; reason: DeadLetterReason };

/**
 * Bytes -> plain JSON object, with a precise reason for everything that is not one.
 * Order matters: a 5 MB blob is rejected by size before we spend time parsing it.
 */
export function decodeJsonObject(value: Buffer | null, maxBytes: number): Decoded {
  if (value === null) return fail(DeadLetterCode.TOMBSTONE, 'record has no value (tombstone)');
  if (value.length === 0) return fail(DeadLetterCode.EMPTY_VALUE, 'record value is empty');
  if (value.length > maxBytes) {
    return fail(DeadLetterCode.TOO_LARGE, `record value is ${value.length} bytes, limit is ${maxBytes}`);
  }
  if (!isUtf8(value)) return fail(DeadLetterCode.INVALID_UTF8, 'record value is not valid UTF-8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch (err) {
    return fail(DeadLetterCode.NOT_JSON, `record value is not JSON: ${(err as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    const kind = parsed === null ? 'null' : Array.isArray(parsed) ? 'an array' : `a ${typeof parsed}`;
    return fail(DeadLetterCode.NOT_OBJECT, `record value is JSON ${kind}, expected an object`);
  }
  return { ok: true, value: parsed as Record<string, unknown> };
}

function fail(code: DeadLetterCode, message: string): Decoded {
  return { ok: false, reason: { code, message } };
}
