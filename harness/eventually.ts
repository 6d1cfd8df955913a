import { setTimeout as sleep } from 'node:timers/promises';

/** Probes until `done` holds, then returns the value; throws with the last value after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number, what: string, pollMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!done(last)) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last value: ${String(JSON.stringify(last)).slice(0, 500)}`);
    await sleep(pollMs);
    last = await probe();
  }
  return last;
}
