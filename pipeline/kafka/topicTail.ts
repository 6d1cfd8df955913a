import { KafkaConsumer, type Message, type TopicPartitionOffset } from '@confluentinc/kafka-javascript';
import type { SourceRecord } from '../core/types';
import { KafkaError } from '../errors';
import { retry } from '../retry';
import { toSourceRecord } from './consumer/toSourceRecord';
import type { ClientOptions } from './options';

export interface TopicTailOptions extends ClientOptions {
  readonly topic: string;
  /** Every record of the topic, from its first offset on, in order per partition. */
  readonly onRecord: (record: SourceRecord) => void;
  /** A failed poll while tailing; polling goes on. */
  readonly onError?: (err: Error) => void;
  /** How long start() waits for the topic to exist and be read to its end. Default 120 s. */
  readonly startTimeoutMs?: number;
}

/**
 * Reads every partition of one topic from its start, outside any consumer group (nothing
 * is committed: each start reads it all again), then keeps following it. `start()`
 * resolves once the end offsets taken at start are reached: what a table built from a
 * compacted topic needs before it is used.
 */
export class TopicTail {
  private readonly consumer: KafkaConsumer;
  private running = false;
  private loop: Promise<void> | undefined;

  constructor(private readonly options: TopicTailOptions) {
    this.consumer = new KafkaConsumer(
      {
        'bootstrap.servers': options.brokers.join(','),
        'client.id': options.clientId ?? 'streamdex',
        // librdkafka wants a group id; assign() without subscribe() never joins it.
        'group.id': `${options.clientId ?? 'streamdex'}-tail-${process.pid}`,
        'enable.auto.commit': false,
        'enable.auto.offset.store': false,
        'queued.max.messages.kbytes': 16_384,
        // A table is built only from what an exactly-once processor committed.
        'isolation.level': 'read_committed',
        ...(options.librdkafka ?? {}),
      },
      { 'auto.offset.reset': 'earliest' },
    );
  }

  /** Connects, reads the topic to its current end and resolves with the records read; then tails it. */
  async start(): Promise<{ records: number; partitions: number }> {
    const deadline = Date.now() + (this.options.startTimeoutMs ?? 120_000);
    const { topic } = this.options;
    await new Promise<void>((resolve, reject) =>
      this.consumer.connect({ timeout: 30_000 }, (err) => (err ? reject(new KafkaError(`tail of ${topic} could not connect: ${err.message}`, { retryable: true, cause: err })) : resolve())),
    );
    // The topic may be created a moment after us (admin create-topics runs alongside), and
    // a topic just created is in the metadata before its partitions have a leader.
    const ends = await retry(
      async () => {
        const partitions = await this.partitionCount();
        return Promise.all(Array.from({ length: partitions }, (_, p) => this.highWatermark(p)));
      },
      { initialMs: 250, maxMs: 2000, deadlineMs: Math.max(0, deadline - Date.now()) },
    );
    const partitions = ends.length;
    this.consumer.assign(ends.map((_, partition) => ({ topic, partition, offset: 0 })));
    this.running = true;
    const next = ends.map(() => 0);
    let records = 0;
    // Compaction leaves gaps in offsets, so "done" is by position, not by count.
    while (next.some((n, p) => n < ends[p]!)) {
      if (Date.now() > deadline) throw new KafkaError(`reading ${topic} to its end timed out at ${next.join(',')} of ${ends.join(',')}`, { retryable: true });
      const batch = await this.poll(1000);
      for (const m of batch) {
        next[m.partition] = Number(m.offset) + 1;
        records++;
        this.options.onRecord(toSourceRecord(m));
      }
      if (batch.length === 0) {
        const positions = this.consumer.position(ends.map((_, partition) => ({ topic, partition }))) as TopicPartitionOffset[];
        for (const tp of positions) if (tp.offset !== undefined && tp.offset >= 0) next[tp.partition] = Math.max(next[tp.partition]!, Number(tp.offset));
      }
    }
    this.loop = this.follow();
    return { records, partitions };
  }

  /** Stops following and disconnects. Safe to call more than once, and before start(). */
  async close(): Promise<void> {
    this.running = false;
    await this.loop;
    if (this.consumer.isConnected()) await new Promise<void>((resolve) => this.consumer.disconnect(() => resolve()));
  }

  private async follow(): Promise<void> {
    while (this.running) {
      try {
        for (const m of await this.poll(1000)) this.options.onRecord(toSourceRecord(m));
      } catch (err) {
        this.options.onError?.(err as Error);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  private poll(max: number): Promise<Message[]> {
    this.consumer.setDefaultConsumeTimeout(200);
    return new Promise((resolve, reject) =>
      this.consumer.consume(max, (err, messages) => (err ? reject(new KafkaError(`poll of ${this.options.topic} failed: ${err.message}`, { retryable: true, cause: err })) : resolve(messages ?? []))),
    );
  }

  private partitionCount(): Promise<number> {
    const { topic } = this.options;
    return new Promise((resolve, reject) =>
      this.consumer.getMetadata({ topic, timeout: 5000 }, (err, md) => {
        const t = md?.topics.find((x) => x.name === topic);
        if (err || !t || t.partitions.length === 0) return reject(new KafkaError(`topic ${topic} not found${err ? `: ${err.message}` : ''}`, { retryable: true }));
        resolve(t.partitions.length);
      }),
    );
  }

  private highWatermark(partition: number): Promise<number> {
    return new Promise((resolve, reject) =>
      this.consumer.queryWatermarkOffsets(this.options.topic, partition, 10_000, (err, o) =>
        err ? reject(new KafkaError(`end offset of ${this.options.topic}/${partition}: ${err.message}`, { retryable: true, cause: err })) : resolve(Number(o.highOffset)),
      ),
    );
  }
}
