import type { Registry } from 'prom-client';
import type { SourceRecord } from '../../pipeline/core';
import { ErrorCode, KafkaError, kindOf } from '../../pipeline/errors';
import type { DeliveryCallback as Callback, OutgoingRecord, RecordSender } from '../../pipeline/kafka';

/**
 * A producer without a broker: records every send in order and answers them only when the
 * test calls `deliver()`, with what `outcome` decides (null = acknowledged).
 */
export class FakeProducer implements RecordSender {
  readonly sent: OutgoingRecord[] = [];
  outcome: (record: OutgoingRecord, attempt: number) => Error | null = () => null;
  /** Thrown by sendWithCallback while set, as a closed producer does. */
  throwing: Error | undefined;
  private waiting: Array<{ record: OutgoingRecord; cb: Callback }> = [];

  sendWithCallback(record: OutgoingRecord, cb: Callback): void {
    if (this.throwing) throw this.throwing;
    this.sent.push(record);
    this.waiting.push({ record, cb });
  }

  /** Sends of this very record object so far (a retry re-sends the same object). */
  attempts(record: OutgoingRecord): number {
    return this.sent.filter((r) => r === record).length;
  }

  /** Answers every send not answered yet; returns how many. */
  deliver(): number {
    const batch = this.waiting;
    this.waiting = [];
    for (const { record, cb } of batch) {
      const err = this.outcome(record, this.attempts(record));
      // The real producer hands only KafkaErrors; a plain Error stands for an unclassified failure.
      cb(err as KafkaError | null, err ? null : { topic: record.topic, partition: 0, offset: 0 });
    }
    return batch.length;
  }

  get unanswered(): number {
    return this.waiting.length;
  }
}

/** The consumer side the Processor and Indexer use: acks recorded in order. */
export class FakeConsumer {
  readonly acked: SourceRecord[] = [];
  readonly tracker = { inFlight: 0 };

  ack(record: SourceRecord): void {
    this.acked.push(record);
  }
}

export const retryable = (message = 'broker down') => new KafkaError(message, kindOf(ErrorCode.KAFKA_UNAVAILABLE));
export const permanent = (message = 'record too large') => new KafkaError(message, kindOf(ErrorCode.KAFKA_REJECTED));
export const unauthorized = (message = 'Broker: Topic authorization failed') => new KafkaError(message, kindOf(ErrorCode.KAFKA_UNAUTHORIZED));

export function headerOf(record: OutgoingRecord, key: string): string | undefined {
  return record.headers?.find((h) => h.key === key)?.value.toString('utf8');
}

/** A counter's value for exactly these labels (0 when never incremented). */
export async function counterValue(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  if (!metric) throw new Error(`no metric ${name}`);
  const values = (metric as { values: Array<{ value: number; labels: Record<string, string | number> }> }).values;
  const match = values.find((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x));
  return match?.value ?? 0;
}
