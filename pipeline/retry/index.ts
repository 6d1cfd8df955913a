export { backoffDelay } from './backoff';
export { retry } from './retry';
export type { RetryOptions } from './retry';
// A referenced timer on purpose: a CLI whose only pending work is a retry wait must not exit.
export { setTimeout as sleep } from 'node:timers/promises';
export { RetryReport } from './retryReport';
