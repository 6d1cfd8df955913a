import type { Logger } from '../logger';
import type { BatchConsumer } from './consumer';

/** The consumer-group events an operator wants in the log, the same for every service. */
export function logConsumerEvents(consumer: BatchConsumer, logger: Logger): void {
  consumer.on('assigned', (p) => logger.info({ partitions: p }, 'partitions assigned'));
  consumer.on('revoked', (p) => logger.info({ partitions: p }, 'partitions revoked'));
  consumer.on('paused', (n) => logger.warn({ inFlight: n }, 'backpressure: fetching paused'));
  consumer.on('resumed', (n) => logger.info({ inFlight: n }, 'fetching resumed'));
  consumer.on('error', (err) => logger.warn({ err }, 'consumer error'));
}
