import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode, KafkaError, TransactionError } from '../errors';
import { backoffDelay } from '../retry';

/** Calls a transaction step again while librdkafka calls its failure retriable. */
export async function callStep(step: () => Promise<void>, random?: () => number, initialBackoffMs = 200): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await step();
    } catch (err) {
      if (!(err instanceof TransactionError) || !err.retryable || attempt >= 5) throw err;
      await sleep(backoffDelay(attempt, initialBackoffMs, 5_000, random));
    }
  }
}

/** librdkafka's word that this producer's epoch is over (fenced, or the coordinator aborted it). */
export function isFatal(err: unknown): boolean {
  return err instanceof KafkaError && err.code === ErrorCode.KAFKA_FATAL;
}
