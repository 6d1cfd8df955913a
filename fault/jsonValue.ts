/** A record's value parsed as JSON; undefined when there is none or it is not JSON. */
export function jsonValue(value: Buffer | null | undefined): unknown {
  if (!value) return undefined;
  try {
    return JSON.parse(value.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** What lies at `path` inside a parsed JSON value; undefined where the path leads nowhere. */
export function valueAt(v: unknown, path: readonly string[]): unknown {
  for (const p of path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[p] : undefined;
  return v;
}
