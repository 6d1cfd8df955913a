import { Producer, type LibrdKafkaError, type MessageHeader } from '@confluentinc/kafka-javascript';
import { ClosedError, KafkaError } from '../errors';
import type { RecordHeader } from '../core/types';
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

type Callback = (err: LibrdKafkaError | null, delivery: Delivery | null) => void;

const QUEUE_FULL = -184;

/**
 * librdkafka producer with one promise per record, settled by its delivery report (so a
 * caller knows exactly which records the broker acknowledged). Sends are batched by
 * librdkafka (linger.ms); await many sends together rather than one at a time.
 */
export class KafkaProducer {
  private readonly producer: Producer;
  private connected: Promise<void> | undefined;
  private closing: Promise<void> | undefined;
  private queued = 0;
  private overflow: Array<[OutgoingRecord, Callback]> = [];
  private drainTimer: NodeJS.Timeout | undefined;

  constructor(options: ProducerOptions) {
    this.producer = new Producer(producerConfig(options));
    this.producer.on('delivery-report', (err, report) => {
      this.queued--;
      const cb = report.opaque as Callback;
      cb(err ?? null, err ? null : { topic: report.topic, partition: report.partition, offset: Number(report.offset) });
    });
  }

  /** Records handed to librdkafka and not yet acknowledged or failed. */
  get pending(): number {
    return this.queued + this.overflow.length;
  }

  connect(timeoutMs = 30_000): Promise<void> {
    this.connected ??= new Promise<void>((resolve, reject) => {
      this.producer.connect({ timeout: timeoutMs }, (err) => {
        if (err) return reject(new KafkaError(`producer could not connect: ${err.message}`, { retryable: true, cause: err }));
        // Delivery reports are served by a librdkafka background thread, not a JS timer.
        this.producer.setPollInBackground(true);
        resolve();
      });
    });
    return this.connected;
  }

  /** Resolves when the broker acknowledged the record (acks=all), rejects on final failure. */
  send(record: OutgoingRecord): Promise<Delivery> {
    return new Promise<Delivery>((resolve, reject) => {
      this.sendWithCallback(record, (err, delivery) => {
        if (err) reject(new KafkaError(`delivery to ${record.topic} failed: ${err.message}`, { retryable: true, cause: err }));
        else resolve(delivery!);
      });
    });
  }

  /** Callback form of send, for hot paths that track many records without a promise each. */
  sendWithCallback(record: OutgoingRecord, cb: Callback): void {
    if (this.closing) throw new ClosedError('producer');
    // Once one record waits for queue space, later ones wait behind it: order per key holds.
    if (this.overflow.length > 0 || !this.tryProduce(record, cb)) {
      this.overflow.push([record, cb]);
      this.scheduleDrain();
    }
  }

  /** False when librdkafka's local queue is full (we produce faster than the broker takes). */
  private tryProduce(record: OutgoingRecord, cb: Callback): boolean {
    const headers: MessageHeader[] | undefined = record.headers?.map((h) => ({ [h.key]: h.value }));
    try {
      this.producer.produce(record.topic, record.partition ?? null, record.value, record.key ?? undefined, record.timestamp ?? null, cb, headers);
      this.queued++;
      return true;
    } catch (err) {
      if ((err as LibrdKafkaError).code === QUEUE_FULL) return false;
      throw err;
    }
  }

  private scheduleDrain(): void {
    if (this.drainTimer) return;
    this.drainTimer = setTimeout(() => {
      this.drainTimer = undefined;
      let i = 0;
      while (i < this.overflow.length && this.tryProduce(this.overflow[i]![0], this.overflow[i]![1])) i++;
      this.overflow.splice(0, i);
      if (this.overflow.length > 0) this.scheduleDrain();
    }, 5);
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
      this.producer.flush(Math.max(1, deadline - Date.now()), (err) => (err ? reject(new KafkaError(`flush failed: ${err.message}`, { cause: err })) : resolve()));
    });
    while (this.pending > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    if (this.pending > 0) throw new KafkaError(`flush timed out with ${this.pending} records unacknowledged`, { retryable: true });
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
