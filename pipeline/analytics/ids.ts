/** Window start of an event time: tumbling windows aligned to the epoch. */
export function windowStart(timeMs: number, sizeMs: number): number {
  return Math.floor(timeMs / sizeMs) * sizeMs;
}

/**
 * The same window, dimension value and partition always give the same id, so a replay
 * overwrites its aggregate instead of adding one.
 */
export function aggregateId(chain: string, sizeMs: number, startMs: number, dimension: string, value: string, partition: number): string {
  return `${chain}:${sizeMs / 1000}s:${startMs}:${dimension}=${encodeURIComponent(value)}:p${partition}`;
}

/** One alert per rule, key and window: raised again by a replay, it overwrites itself. */
export function alertId(rule: string, chain: string, key: string, sizeMs: number, startMs: number): string {
  return `${rule}:${chain}:${encodeURIComponent(key)}:${sizeMs / 1000}s:${startMs}`;
}
