import { setTimeout as sleep } from 'node:timers/promises';
import { ClosedError, ErrorCode, KafkaError, errorMessage } from '../errors';
import { backoffDelay } from '../retry';
import type { TransactionalProducer } from './consumer/types';
import { callStep, isFatal } from './transactionStep';
import type { Delivery, DeliveryCallback, OutgoingRecord } from './producer';

export interface TransactionalSenderOptions {
  /** Connected, with a transactional id (initTransactions done). */
  readonly producer: Omit<TransactionalProducer, 'sendOffsetsToTransaction'>;
  /** Records in one transaction at most. Default 10,000. */
  readonly maxRecords?: number;
  /** How long the first record waits for others before its transaction starts. Default 100 ms. */
  readonly lingerMs?: number;
  /** Transactions of one batch in a row that may fail before its records are failed. Default 10. */
  readonly maxAttempts?: number;
  /** Backoff after a failed transaction: 200 ms by default, doubling to 10 s. */
  readonly initialBackoffMs?: number;
  /** A transaction failed and its batch goes out again. */
  readonly onRetry?: (err: Error, attempt: number) => void;
  readonly random?: () => number;
}

interface Entry {
  readonly record: OutgoingRecord;
  readonly cb: DeliveryCallback;
  delivery?: Delivery;
}

/**
 * Exactly-once for a process that only writes (the producer): records go out in
 * transactions of up to `maxRecords`, and a record's callback hears of it only once its
 * transaction committed. A transaction that fails is aborted, so nothing of it is visible to
 * a read_committed reader, and its records are sent again in the next one. An idempotent
 * producer alone can store a record twice: after an epoch bump librdkafka re-sends what was
 * in flight under new sequence numbers (docs/faults.md).
 *
 * The same shape as KafkaProducer's sender (sendWithCallback, pending, pendingBelow, flush),
 * so the producer's loop runs unchanged on either.
 */
export class TransactionalSender {
  private queued: Entry[] = [];
  private batch: Entry[] = [];
  private running: Promise<void> | undefined;
  private linger: NodeJS.Timeout | undefined;
  private closed = false;
  private waiters: Array<{ n: number; resolve: () => void }> = [];
  private readonly maxRecords: number;
  private readonly lingerMs: number;
  private readonly maxAttempts: number;
  private readonly initialBackoffMs: number;

  constructor(private readonly o: TransactionalSenderOptions) {
    this.maxRecords = o.maxRecords ?? 10_000;
    this.lingerMs = o.lingerMs ?? 100;
    this.maxAttempts = o.maxAttempts ?? 10;
    this.initialBackoffMs = o.initialBackoffMs ?? 200;
  }

  /** Records not yet in a committed transaction (nor failed). */
  get pending(): number {
    return this.queued.length + this.batch.length;
  }

  sendWithCallback(record: OutgoingRecord, cb: DeliveryCallback): void {
    if (this.closed) throw new ClosedError('transactional sender');
    this.queued.push({ record, cb });
    if (this.running || this.linger) return;
    if (this.queued.length >= this.maxRecords) this.start();
    else this.linger = setTimeout(() => this.start(), this.lingerMs);
  }

  /** Resolves once fewer than `n` records are pending (at once if they already are). */
  pendingBelow(n: number): Promise<void> {
    if (this.pending < n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }

  /** Commits what is queued now, without waiting for the linger; rejects past the timeout. */
  async flush(timeoutMs = 30_000): Promise<void> {
    if (this.pending === 0) return;
    if (!this.running) this.start();
    const timer = new AbortController();
    await Promise.race([
      this.pendingBelow(1).finally(() => timer.abort()),
      sleep(timeoutMs, undefined, { signal: timer.signal }).catch(() => undefined),
    ]);
    if (this.pending > 0) throw new KafkaError(`flush timed out with ${this.pending} records not in a committed transaction`, { code: ErrorCode.TIMEOUT, retryable: true });
  }

  /** Commits what is queued, then refuses more. Safe to call more than once. */
  async close(timeoutMs = 30_000): Promise<void> {
    this.closed = true;
    await this.flush(timeoutMs);
  }

  private start(): void {
    clearTimeout(this.linger);
    this.linger = undefined;
    if (this.running || this.queued.length === 0) return;
    this.batch = this.queued.splice(0, this.maxRecords);
    this.running = this.commitBatch().finally(() => {
      this.running = undefined;
      this.batch = [];
      this.wake();
      // What came in meanwhile goes next, at once: it has waited for this transaction already.
      if (this.queued.length > 0) this.start();
    });
  }

  /** The batch in transactions until one commits, or its records fail after maxAttempts. */
  private async commitBatch(): Promise<void> {
    let entries = this.batch;
    for (let attempt = 1; ; attempt++) {
      const refused = new Map<Entry, KafkaError>();
      try {
        await this.transact(entries, refused);
        for (const e of entries) {
          const err = refused.get(e);
          if (err) e.cb(err, null);
          else e.cb(null, e.delivery!);
        }
        return;
      } catch (err) {
        // A record the broker or the client refuses for good would fail every retry: it leaves the batch.
        for (const [e, reason] of refused) e.cb(reason, null);
        entries = entries.filter((e) => !refused.has(e));
        if (entries.length === 0) return;
        const error = err instanceof Error ? err : new Error(String(err));
        if (attempt >= this.maxAttempts) {
          const failed = new KafkaError(`${attempt} transactions in a row failed, ${entries.length} records not sent: ${errorMessage(error)}`, { code: ErrorCode.KAFKA, cause: error });
          for (const e of entries) e.cb(failed, null);
          return;
        }
        this.o.onRetry?.(error, attempt);
        await sleep(backoffDelay(attempt - 1, this.initialBackoffMs, 10_000, this.o.random));
      }
    }
  }

  /** One transaction of `entries`; records refused for good are put in `refused` (the transaction then fails). */
  private async transact(entries: readonly Entry[], refused: Map<Entry, KafkaError>): Promise<void> {
    const { producer } = this.o;
    try {
      await callStep(() => producer.beginTransaction(), this.o.random);
      let failure: Error | undefined;
      for (const e of entries) {
        try {
          producer.sendWithCallback(e.record, (err, delivery) => {
            if (!err) return void (e.delivery = delivery!);
            failure ??= err;
            if (err.code === ErrorCode.KAFKA_REJECTED) refused.set(e, err);
          });
        } catch (err) {
          // Refused before it left (too large, unknown partition): it never reaches a retry.
          if (err instanceof ClosedError) throw err;
          const reason = err instanceof KafkaError ? err : new KafkaError(errorMessage(err), { code: ErrorCode.KAFKA_REJECTED, cause: err });
          refused.set(e, reason);
          failure ??= reason;
        }
      }
      await producer.flush(30_000);
      if (failure) throw failure;
      await callStep(() => producer.commitTransaction(), this.o.random);
    } catch (err) {
      await this.abandon(err);
      throw err;
    }
  }

  /** Nothing of the failed transaction may become visible: aborted, or the handle renewed. */
  private async abandon(cause: unknown): Promise<void> {
    const { producer } = this.o;
    if (!isFatal(cause)) {
      try {
        return await callStep(() => producer.abortTransaction(), this.o.random);
      } catch {
        // An abort that fails leaves the producer in an unknown state: only a new handle is safe.
      }
    }
    if (!producer.renew) throw new KafkaError(`the transactional producer cannot go on: ${errorMessage(cause)}`, { code: ErrorCode.KAFKA_FATAL, cause });
    await producer.renew();
  }

  private wake(): void {
    const pending = this.pending;
    this.waiters = this.waiters.filter((w) => {
      if (pending >= w.n) return true;
      w.resolve();
      return false;
    });
  }
}
