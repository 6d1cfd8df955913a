import type { RedactedValue } from '../../core/types';

/** randomuser.me's credentials in `login`: what no dead letter may carry. */
export const PROFILE_SECRETS = ['password', 'salt', 'md5', 'sha1', 'sha256'] as const;
export const REDACTED = '[redacted]';

const SECRET = new Set<string>(PROFILE_SECRETS);
/** A secret's "key": value in text that is not JSON: a string (escapes included) or a bare token. */
const SECRET_IN_TEXT = new RegExp(`"(${PROFILE_SECRETS.join('|')})"(\\s*:\\s*)("(?:[^"\\\\]|\\\\.)*"?|[^,}\\]\\s]+)`, 'g');

/**
 * A profiles record's value with every secret field's value replaced, wherever it sits (a
 * response's `results[i].login`, a single profile's `login`). A value that is not JSON (the
 * reason it is a dead letter, often) is searched as text, so a cut or broken response does
 * not carry its passwords either. Without secrets the bytes are returned as they were.
 */
export function redactProfileSecrets(value: Buffer): RedactedValue {
  const text = value.toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return redactText(value, text);
  }
  const found = new Set<string>();
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (SECRET.has(k)) {
        found.add(k);
        out[k] = REDACTED;
      } else out[k] = walk(x);
    }
    return out;
  };
  const redacted = walk(parsed);
  if (found.size === 0) return { value, fields: [] };
  return { value: Buffer.from(JSON.stringify(redacted)), fields: [...found].sort() };
}

function redactText(value: Buffer, text: string): RedactedValue {
  const found = new Set<string>();
  const out = text.replace(SECRET_IN_TEXT, (_m, key: string, colon: string) => {
    found.add(key);
    return `"${key}"${colon}"${REDACTED}"`;
  });
  return found.size === 0 ? { value, fields: [] } : { value: Buffer.from(out), fields: [...found].sort() };
}
