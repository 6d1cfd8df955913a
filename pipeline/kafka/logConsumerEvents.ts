import type { EventEmitter } from 'node:events';
import type { Logger } from '../logger';
import { RetryReport } from '../retry';
import type { BatchConsumerEvents } from './consumer';

/** The consumer-group events an operator wants in the log, the same for every service. */
export function logConsumerEvents(consumer: EventEmitter<BatchConsumerEvents>, logger: Logger, report = new RetryReport()): void {
  consumer.on('assigned', (p) => logger.info({ partitions: p }, 'partitions assigned'));
  consumer.on('revoked', (p) => logger.info({ partitions: p }, 'partitions revoked'));
  consumer.on('paused', (n) => logger.warn({ inFlight: n }, 'backpressure: fetching paused'));
  consumer.on('resumed', (n) => logger.info({ inFlight: n }, 'fetching resumed'));
  // A coordinator that moves fails every periodic commit the same way until it is back: the
  // first of each message, then one per interval with the count held back.
  consumer.on('error', (err) => {
    const heldBack = report.take(err.message);
    if (heldBack !== undefined) logger.warn({ err, ...(heldBack > 0 ? { heldBack } : {}) }, 'consumer error');
  });
}
