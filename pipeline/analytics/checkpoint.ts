import type { PartitionCheckpoint } from './types';

/** Version of the commit metadata's format; another version is ignored (windows start open). */
const VERSION = 1;

/** Short JSON: offset commit metadata is capped by the broker (offset.metadata.max.bytes, 4096 by default). */
export function encodeCheckpoint(c: PartitionCheckpoint): string {
  return JSON.stringify({ v: VERSION, m: c.maxEventTimeMs, c: c.closedThrough });
}

/** Undefined for no metadata or metadata of another format: the partition then has nothing closed. */
export function decodeCheckpoint(metadata: string | null | undefined): PartitionCheckpoint | undefined {
  if (!metadata) return undefined;
  try {
    const o = JSON.parse(metadata) as { v?: unknown; m?: unknown; c?: unknown };
    if (o.v !== VERSION || (o.m !== null && typeof o.m !== 'number') || typeof o.c !== 'object' || o.c === null) return undefined;
    const closedThrough: Record<string, number> = {};
    for (const [k, v] of Object.entries(o.c)) if (typeof v === 'number') closedThrough[k] = v;
    return { maxEventTimeMs: o.m, closedThrough };
  } catch {
    return undefined;
  }
}
