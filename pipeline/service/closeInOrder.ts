import type { Logger } from '../logger';
import type { CloseStep } from './types';

/**
 * Runs the steps one after the other, each awaited; a failure is logged with the step's
 * name and does not skip the steps after it. The returned function runs them once: every
 * call returns the same promise.
 */
export function closeInOrder(logger: Logger, steps: readonly CloseStep[]): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () =>
    (closing ??= (async () => {
      for (const step of steps) {
        try {
          await step.run();
        } catch (err) {
          logger.warn({ err, step: step.name }, 'shutdown step failed');
        }
      }
    })());
}
