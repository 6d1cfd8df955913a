import type { PartitionCheckpoint } from './types';

/** Version of the commit metadata's format; another version is ignored (windows start open). */
const VERSION = 1;

/** Short JSON: offset commit metadata is capped by the broker (offset.metadata.max.bytes, 4096 by default). */
export function encodeCheckpoint(c: PartitionCheckpoint): string {
  return JSON.stringify({ v: VERSION, m: c.maxEventTimeMs, c: c.closedThrough, ...(c.recordTime ? { rm: c.recordTime.maxEventTimeMs, rc: c.recordTime.closedThrough } : {}) });
}

/** Undefined for no metadata or metadata of another format: the partition then has nothing closed. */
export function decodeCheckpoint(metadata: string | null | undefined): PartitionCheckpoint | undefined {
  if (!metadata) return undefined;
  try {
    const o = JSON.parse(metadata) as { v?: unknown; m?: unknown; c?: unknown; rm?: unknown; rc?: unknown };
    if (o.v !== VERSION || (o.m !== null && typeof o.m !== 'number') || typeof o.c !== 'object' || o.c === null) return undefined;
    const numbers = (x: object) => Object.fromEntries(Object.entries(x).filter(([, v]) => typeof v === 'number')) as Record<string, number>;
    const out = { maxEventTimeMs: o.m, closedThrough: numbers(o.c) };
    if (typeof o.rc !== 'object' || o.rc === null) return out;
    return { ...out, recordTime: { maxEventTimeMs: typeof o.rm === 'number' ? o.rm : null, closedThrough: numbers(o.rc) } };
  } catch {
    return undefined;
  }
}
