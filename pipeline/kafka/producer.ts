import { setTimeout as sleep } from 'node:timers/promises';
import { CODES, Producer, type KafkaConsumer, type LibrdKafkaError, type MessageHeader } from '@confluentinc/kafka-javascript';
import { ClosedError, ErrorCode, KafkaError, isLibrdKafkaError, kafkaError, transactionError } from '../errors';
import type { RecordHeader } from '../core/types';
import type { CommitOffset } from './consumer/types';
import { producerConfig, type ProducerOptions } from './options';

export interface OutgoingRecord {
  readonly topic: string;
  readonly key: string | Buffer | null;
  readonly value: Buffer | null;
  readonly headers?: readonly RecordHeader[];
  readonly partition?: number;
  readonly timestamp?: number;
}

export interface Delivery {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

/** Called once per record: with the delivery, or with a KafkaError whose `retryable` says whether to send again. */
export type DeliveryCallback = (err: KafkaError | null, delivery: Delivery | null) => void;

/**
 * librdkafka producer with one promise per record, settled by its delivery report (so a
 * caller knows exactly which records the broker acknowledged). Sends are batched by
 * librdkafka (linger.ms); await many sends together rather than one at a time.
 */
export class KafkaProducer {
  private producer: Producer;
  private connected: Promise<void> | undefined;
  private closing: Promise<void> | undefined;
  /** Records the current handle holds without a report yet; a renewed handle starts from 0. */
  private handle = { queued: 0 };
  private overflow: Array<[OutgoingRecord, DeliveryCallback]> = [];
  private drainTimer: NodeJS.Timeout | undefined;
  /** Callers of pendingBelow not yet settled. */
  private belowWaiters: Array<{ n: number; resolve: () => void }> = [];

  private readonly transactional: boolean;

  constructor(private readonly options: ProducerOptions) {
    this.transactional = options.transactionalId !== undefined;
    this.producer = this.createHandle();
  }

  private createHandle(): Producer {
    const producer = new Producer(producerConfig(this.options));
    const handle = (this.handle = { queued: 0 });
    producer.on('delivery-report', (err, report) => {
      handle.queued--;
      const cb = report.opaque as DeliveryCallback;
      if (err) cb(kafkaError(`delivery to ${report.topic} failed: ${err.message}`, err), null);
      else cb(null, { topic: report.topic, partition: report.partition, offset: Number(report.offset) });
      this.wakeWaiters();
    });
    return producer;
  }

  /** Records handed to librdkafka and not yet acknowledged or failed. */
  get pending(): number {
    return this.handle.queued + this.overflow.length;
  }

  /**
   * Resolves once fewer than `n` records are pending (at once if they already are). Settled
   * by the delivery reports that bring the count down, so a caller waiting for room does not
   * spin on a timer.
   */
  pendingBelow(n: number): Promise<void> {
    if (this.pending < n) return Promise.resolve();
    return new Promise((resolve) => this.belowWaiters.push({ n, resolve }));
  }

  private wakeWaiters(): void {
    if (this.belowWaiters.length === 0) return;
    const pending = this.pending;
    this.belowWaiters = this.belowWaiters.filter((w) => {
      if (pending >= w.n) return true;
      w.resolve();
      return false;
    });
  }

  connect(timeoutMs = 30_000): Promise<void> {
    this.connected ??= new Promise<void>((resolve, reject) => {
      this.producer.connect({ timeout: timeoutMs }, (err) => {
        if (err) return reject(kafkaError(`producer could not connect: ${err.message}`, err));
        // Delivery reports are served by a librdkafka background thread, not a JS timer.
        this.producer.setPollInBackground(true);
        if (!this.transactional) return resolve();
        // Fences an earlier instance with the same transactional id and aborts what it left open.
        this.producer.initTransactions(timeoutMs, (e) => (e ? reject(transactionError(`initTransactions failed: ${e.message}`, e)) : resolve()));
      });
    });
    return this.connected;
  }

  /**
   * Swaps a transactional producer librdkafka gave up on (a fatal error) for a new handle
   * with the same transactional id. Its initTransactions fences the old handle and aborts
   * the transaction that handle left open, so nothing of it becomes visible. What the old
   * handle still held is failed, not flushed: it belonged to that transaction.
   */
  async renew(timeoutMs = 30_000): Promise<void> {
    if (!this.transactional) throw new KafkaError('only a transactional producer can be renewed', { code: ErrorCode.KAFKA, retryable: false });
    if (this.closing) throw new ClosedError('producer');
    const old = this.producer;
    // Records still waiting for queue space belong to the aborted transaction too; handed to
    // the new handle they would land in the next one.
    clearTimeout(this.drainTimer);
    this.drainTimer = undefined;
    const held = this.overflow.splice(0);
    const closed = new ClosedError('the renewed producer handle');
    for (const [, cb] of held) cb(closed, null);
    this.wakeWaiters();
    // A short flush: a producer in fatal state delivers nothing more, its queue only fails.
    await new Promise<void>((resolve) => old.disconnect(1_000, () => resolve()));
    this.producer = this.createHandle();
    this.wakeWaiters();
    this.connected = undefined;
    await this.connect(timeoutMs);
  }

  beginTransaction(): Promise<void> {
    return this.transaction('beginTransaction', (cb) => this.producer.beginTransaction(cb));
  }

  /** Adds the consumer's offsets, with its group's generation (KIP-447), to the open transaction. */
  sendOffsetsToTransaction(offsets: readonly CommitOffset[], consumer: KafkaConsumer, timeoutMs = 10_000): Promise<void> {
    return this.transaction('sendOffsetsToTransaction', (cb) => this.producer.sendOffsetsToTransaction([...offsets], consumer, timeoutMs, cb));
  }

  commitTransaction(timeoutMs = 10_000): Promise<void> {
    return this.transaction('commitTransaction', (cb) => this.producer.commitTransaction(timeoutMs, cb));
  }

  abortTransaction(timeoutMs = 10_000): Promise<void> {
    return this.transaction('abortTransaction', (cb) => this.producer.abortTransaction(timeoutMs, cb));
  }

  private transaction(name: string, call: (cb: (err: LibrdKafkaError) => void) => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      try {
        call((err) => (err ? reject(transactionError(`${name} failed: ${err.message}`, err)) : resolve()));
      } catch (err) {
        reject(transactionError(`${name} failed: ${(err as Error).message}`, err));
      }
    });
  }

  /** Resolves when the broker acknowledged the record (acks=all), rejects with a KafkaError on final failure. */
  send(record: OutgoingRecord): Promise<Delivery> {
    return new Promise<Delivery>((resolve, reject) => {
      this.sendWithCallback(record, (err, delivery) => (err ? reject(err) : resolve(delivery!)));
    });
  }

  /**
   * Callback form of send, for hot paths that track many records without a promise each.
   * Throws ClosedError once close() began, and a KafkaError when librdkafka refuses the
   * record outright (too large, unknown partition); delivery failures go to `cb`.
   */
  sendWithCallback(record: OutgoingRecord, cb: DeliveryCallback): void {
    if (this.closing) throw new ClosedError('producer');
    // Once one record waits for queue space, later ones wait behind it: order per key holds.
    if (this.overflow.length > 0 || !this.tryProduce(record, cb)) {
      this.overflow.push([record, cb]);
      this.scheduleDrain();
    }
  }

  /** False when librdkafka's local queue is full (we produce faster than the broker takes). */
  private tryProduce(record: OutgoingRecord, cb: DeliveryCallback): boolean {
    const headers: MessageHeader[] | undefined = record.headers?.map((h) => ({ [h.key]: h.value }));
    try {
      this.producer.produce(record.topic, record.partition ?? null, record.value, record.key ?? undefined, record.timestamp ?? null, cb, headers);
      this.handle.queued++;
      return true;
    } catch (err) {
      if (isLibrdKafkaError(err) && err.code === CODES.ERRORS.ERR__QUEUE_FULL) return false;
      throw kafkaError(`could not send to ${record.topic}: ${(err as Error).message}`, err);
    }
  }

  private scheduleDrain(): void {
    if (this.drainTimer) return;
    this.drainTimer = setTimeout(() => {
      this.drainTimer = undefined;
      let i = 0;
      while (i < this.overflow.length && this.tryOverflowed(...this.overflow[i]!)) i++;
      this.overflow.splice(0, i);
      // A record refused for good left the count.
      this.wakeWaiters();
      if (this.overflow.length > 0) this.scheduleDrain();
    }, 5);
  }

  /** A record refused after waiting for queue space has no caller to throw to: its callback hears it. */
  private tryOverflowed(record: OutgoingRecord, cb: DeliveryCallback): boolean {
    try {
      return this.tryProduce(record, cb);
    } catch (err) {
      cb(err as KafkaError, null);
      return true;
    }
  }

  /**
   * Resolves once every record sent so far has had its callback called: records still
   * waiting for queue space are handed over first, and since delivery reports reach JS
   * through the event loop after librdkafka's queue is empty, it waits for those too.
   */
  async flush(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.overflow.length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    await new Promise<void>((resolve, reject) => {
      this.producer.flush(Math.max(1, deadline - Date.now()), (err) => (err ? reject(kafkaError(`flush failed: ${err.message}`, err)) : resolve()));
    });
    if (this.pending > 0) await this.untilEmptyOr(deadline);
    if (this.pending > 0) throw new KafkaError(`flush timed out with ${this.pending} records unacknowledged`, { code: ErrorCode.TIMEOUT, retryable: true });
  }

  /** The last delivery reports, or the deadline. */
  private async untilEmptyOr(deadline: number): Promise<void> {
    const timer = new AbortController();
    await Promise.race([
      this.pendingBelow(1).finally(() => timer.abort()),
      sleep(Math.max(0, deadline - Date.now()), undefined, { signal: timer.signal }).catch(() => undefined),
    ]);
  }

  /** Flushes what is queued, then disconnects. Safe to call more than once. */
  close(timeoutMs = 30_000): Promise<void> {
    this.closing ??= (async () => {
      if (!this.connected) return;
      try {
        await this.connected;
        const deadline = Date.now() + timeoutMs;
        while (this.overflow.length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
        await this.flush(Math.max(1, deadline - Date.now()));
      } finally {
        await new Promise<void>((resolve) => this.producer.disconnect(timeoutMs, () => resolve()));
      }
    })();
    return this.closing;
  }
}
