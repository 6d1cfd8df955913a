import { setTimeout as sleep } from 'node:timers/promises';
import { isRetryable as tableSays } from '../errors';
import { backoffDelay } from './backoff';

export interface RetryOptions {
  /** First delay; doubles with every attempt up to `maxMs`, equal jitter (see backoffDelay). */
  readonly initialMs: number;
  readonly maxMs: number;
  /**
   * Give up this long after the first attempt began: the last error is rethrown. The last
   * wait is shortened so one attempt still runs at the deadline. Default: never.
   */
  readonly deadlineMs?: number;
  /** Called before each wait, e.g. to log. `attempt` counts from 0 (the one that failed). */
  readonly onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
  /** Default: the error table's answer (isRetryable from pipeline/errors). */
  readonly isRetryable?: (err: unknown) => boolean;
}

/**
 * Runs `fn` until it resolves, waiting with backoff between attempts. A failure that is
 * not retryable is rethrown at once: waiting cannot heal it.
 */
export async function retry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const retryable = options.isRetryable ?? tableSays;
  const deadline = options.deadlineMs === undefined ? Infinity : Date.now() + options.deadlineMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      const left = deadline - Date.now();
      if (!retryable(err) || left <= 0) throw err;
      const delay = Math.min(backoffDelay(attempt, options.initialMs, options.maxMs), left);
      options.onRetry?.(err, attempt, delay);
      await sleep(delay);
    }
  }
}
