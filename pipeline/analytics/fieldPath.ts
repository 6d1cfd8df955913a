/** The value at a dotted path ("geo.location.lat"), or undefined. */
export function fieldAt(doc: unknown, path: string): unknown {
  let v: unknown = doc;
  for (const part of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/** A dimension value as a keyword; absent fields are "none", so every event is counted once per dimension. */
export function dimensionValue(doc: unknown, path: string): string {
  const v = fieldAt(doc, path);
  if (v === undefined || v === null || v === '') return 'none';
  return typeof v === 'string' ? v : String(v);
}

/** Event time in epoch ms from an ISO string or a number of ms; undefined when unreadable. */
export function eventTimeMs(doc: unknown, path: string): number | undefined {
  const v = fieldAt(doc, path);
  const t = typeof v === 'number' ? v : typeof v === 'string' ? Date.parse(v) : Number.NaN;
  return Number.isFinite(t) ? t : undefined;
}
