import type { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SourceRecord } from '../../core/types';
import { ClosedError, ErrorCode, KafkaError, errorMessage } from '../../errors';
import { backoffDelay } from '../../retry';
import type { OffsetTracker } from '../offsetTracker';
import { callStep, isFatal } from '../transactionStep';
import type { DeliveryCallback, OutgoingRecord } from '../producer';
import type { OffsetCommitter } from './offsetCommitter';
import type { BatchConsumerEvents, BatchHandler, CommitOffset, ConsumerClient, TopicPartition, TransactionalProducer } from './types';

/** librdkafka's logical offsets, for a partition the group never committed. */
const OFFSET_BEGINNING = -2;
const OFFSET_END = -1;

export interface BatchTransactionsOptions {
  readonly producer: TransactionalProducer;
  readonly client: ConsumerClient;
  readonly tracker: OffsetTracker;
  readonly committer: OffsetCommitter;
  readonly events: EventEmitter<BatchConsumerEvents>;
  /** The partitions this member holds (revoked ones until they are given up). */
  readonly assignment: () => readonly TopicPartition[];
  readonly autoOffsetReset: 'earliest' | 'latest';
  /** How long a batch's outputs may take to be delivered before its transaction is aborted. */
  readonly flushTimeoutMs?: number;
  /** Batches aborted in a row after which the consumer gives up (the service stops uncommitted). Default 10. */
  readonly maxAborts?: number;
  /** Backoff before the batch after an abort is read again. Default 200 ms, doubling to 10 s. */
  readonly initialBackoffMs?: number;
  readonly random?: () => number;
  /**
   * Fatal errors the producer is renewed after within `renewWindowMs`; one more stops the
   * consumer. Default 3 in 10 minutes: a broker failover is rare, while two instances given
   * one TRANSACTIONAL_ID fence each other at every turn and must stop, not take turns forever.
   */
  readonly maxRenewals?: number;
  readonly renewWindowMs?: number;
  readonly now?: () => number;
}

/**
 * Exactly-once for a consume-process-produce loop: each batch runs in one transaction that
 * holds everything its handler sent and the offsets the batch made committable, so the
 * outputs and the input position become visible together or not at all.
 *
 * It is also the handler's record sender: only a send inside the open transaction goes out,
 * and a delivery that fails (or reports after the transaction ended) is handed to the caller
 * as a ClosedError, which the stages read as "left for the re-read": the transaction is
 * aborted, the partitions go back to their committed offsets, and the batch is read again
 * from there.
 *
 * librdkafka calls an error fatal when the coordinator says this producer's epoch is over:
 * a newer instance with its id fenced it, or the coordinator moved during a broker restart
 * and aborted the transaction itself (open past transaction.timeout.ms) with an epoch bump.
 * The two look alike, so the producer is renewed (a new handle, same id, which fences the old
 * one and aborts what it left open), the batch is read again from the committed offsets,
 * and a few renewals within a window are allowed. Past that, or when renewing fails, the
 * error is thrown: the instance stops, with nothing of the batch visible and its offsets
 * uncommitted.
 */
export class BatchTransactions {
  private open = false;
  /** Counts transactions, so a report of an earlier one is never taken for the current one. */
  private epoch = 0;
  private failure: Error | undefined;
  private running: Promise<void> | undefined;
  private aborts = 0;
  private readonly flushTimeoutMs: number;
  private readonly maxAborts: number;
  private readonly initialBackoffMs: number;
  /** When the producer was renewed, within the window. */
  private renewals: number[] = [];
  private readonly maxRenewals: number;
  private readonly renewWindowMs: number;
  private readonly now: () => number;

  constructor(private readonly o: BatchTransactionsOptions) {
    this.flushTimeoutMs = o.flushTimeoutMs ?? 8_000;
    this.maxAborts = o.maxAborts ?? 10;
    this.initialBackoffMs = o.initialBackoffMs ?? 200;
    this.maxRenewals = o.maxRenewals ?? 3;
    this.renewWindowMs = o.renewWindowMs ?? 600_000;
    this.now = o.now ?? (() => Date.now());
  }

  /** No batch is in a transaction: a revocation may give the partitions up. */
  get idle(): boolean {
    return this.running === undefined;
  }

  /** The record sender of the handler: the same as the producer's, inside the transaction. */
  readonly sender = {
    sendWithCallback: (record: OutgoingRecord, cb: DeliveryCallback): void => {
      if (!this.open) throw new ClosedError('transaction');
      const epoch = this.epoch;
      this.o.producer.sendWithCallback(record, (err, delivery) => {
        const current = this.open && epoch === this.epoch;
        if (err && current) this.failure ??= err;
        if (err || !current) cb(new ClosedError('transaction'), null);
        else cb(null, delivery);
      });
    },
  };

  run(records: SourceRecord[], handler: BatchHandler): Promise<void> {
    const run = this.transact(records, handler).finally(() => {
      this.running = undefined;
    });
    this.running = run;
    return run;
  }

  private async transact(records: SourceRecord[], handler: BatchHandler): Promise<void> {
    const { producer, committer, client } = this.o;
    try {
      await this.call(() => producer.beginTransaction());
    } catch (err) {
      if (isFatal(err)) return this.renewAndRewind(err);
      throw err;
    }
    this.epoch++;
    this.failure = undefined;
    this.open = true;
    let offsets: CommitOffset[] = [];
    try {
      try {
        await handler(records);
      } catch (err) {
        // Not a Kafka failure: a bug the service must hear of; nothing of the batch is kept.
        await this.abortAndRewind(err);
        throw err;
      }
      await producer.flush(this.flushTimeoutMs);
      if (this.failure) throw this.failure;
      offsets = committer.take(this.o.assignment());
      if (offsets.length > 0) await this.call(() => producer.sendOffsetsToTransaction(offsets, client.groupHandle?.()));
      await this.call(() => producer.commitTransaction());
      this.open = false;
    } catch (err) {
      this.open = false;
      if (isFatal(err)) return this.renewAndRewind(err);
      return this.abortAndRewind(err);
    }
    this.aborts = 0;
    if (offsets.length > 0) this.o.events.emit('committed', offsets);
  }

  private call(step: () => Promise<void>): Promise<void> {
    return callStep(step, this.o.random, this.initialBackoffMs);
  }

  private async abortAndRewind(cause: unknown): Promise<void> {
    this.open = false;
    const { producer, events } = this.o;
    this.aborts++;
    events.emit('error', new KafkaError(`transaction aborted (${this.aborts} in a row), its batch is read again from the committed offsets: ${errorMessage(cause)}`, { retryable: true, cause }));
    try {
      await this.call(() => producer.abortTransaction());
    } catch (err) {
      // An abort that fails leaves the producer in an unknown state: only a new handle is safe.
      await this.renew(err);
    }
    await this.rewindAssignment();
    if (this.aborts >= this.maxAborts) {
      throw new KafkaError(`${this.aborts} transactions in a row aborted, stopping with the offsets uncommitted: ${errorMessage(cause)}`, { cause });
    }
    await sleep(backoffDelay(this.aborts - 1, this.initialBackoffMs, 10_000, this.o.random));
  }

  /**
   * After a fatal error: a new producer handle, then the batch again from the committed
   * offsets (its transaction is aborted by the renewal, so what it read was never committed).
   */
  private async renewAndRewind(cause: unknown): Promise<void> {
    this.open = false;
    await this.renew(cause);
    await this.rewindAssignment();
  }

  private async renew(cause: unknown): Promise<void> {
    const { producer, events } = this.o;
    const now = this.now();
    this.renewals = this.renewals.filter((t) => now - t < this.renewWindowMs);
    if (!producer.renew || this.renewals.length >= this.maxRenewals) throw fenced(cause, this.renewals.length);
    this.renewals.push(now);
    events.emit(
      'error',
      new KafkaError(`the transactional producer is renewed (${this.renewals.length} of ${this.maxRenewals} within ${this.renewWindowMs / 1000} s), its batch is read again from the committed offsets: ${errorMessage(cause)}`, {
        retryable: true,
        cause,
      }),
    );
    try {
      await producer.renew();
    } catch (err) {
      throw fenced(err, this.renewals.length);
    }
  }

  private async rewindAssignment(): Promise<void> {
    const partitions = [...this.o.assignment()];
    this.o.tracker.forget(partitions);
    await this.rewind(partitions);
    this.o.events.emit('rewound', partitions);
  }

  /** Back to the group's committed offsets: what the aborted transaction read is read again. */
  private async rewind(partitions: readonly TopicPartition[]): Promise<void> {
    if (partitions.length === 0) return;
    const { client } = this.o;
    if (!client.committed || !client.seek) throw new KafkaError('this consumer client cannot seek back to committed offsets');
    const committed = await client.committed(partitions, 10_000);
    const reset = this.o.autoOffsetReset === 'earliest' ? OFFSET_BEGINNING : OFFSET_END;
    for (const p of partitions) {
      const c = committed.find((x) => x.topic === p.topic && x.partition === p.partition);
      const offset = c && c.offset >= 0 ? c.offset : reset;
      await client.seek({ topic: p.topic, partition: p.partition, offset }, 10_000);
    }
  }
}

function fenced(err: unknown, renewals: number): KafkaError {
  const renewed = renewals > 0 ? ` (renewed ${renewals} times in the window already)` : '';
  return new KafkaError(`the transactional producer cannot go on (fenced by a newer instance, or broken)${renewed}; the batch stays uncommitted: ${errorMessage(err)}`, {
    code: ErrorCode.KAFKA_FATAL,
    cause: err,
  });
}
