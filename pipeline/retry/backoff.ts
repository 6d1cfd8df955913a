/**
 * Exponential backoff with equal jitter, half fixed and half random (AWS architecture blog,
 * "Exponential Backoff and Jitter"): spreads retries of many workers so they do not hammer a recovering cluster in
 * lockstep. Hand-written because the retry libraries retry a whole call, while bulk
 * indexing retries a shrinking subset of items between attempts.
 */
export function backoffDelay(attempt: number, initialMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling * (0.5 + random() / 2));
}

