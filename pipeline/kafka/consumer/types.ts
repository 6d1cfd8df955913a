import type { TopicPartition } from '@confluentinc/kafka-javascript';
import type { SourceRecord } from '../../core/types';
import type { KafkaError } from '../../errors';
import type { DeliveryCallback, OutgoingRecord } from '../producer';

export type { TopicPartition };

export type BatchHandler = (records: SourceRecord[]) => void | Promise<void>;

/** The next offset to read of one partition, as Kafka commits it. */
export interface CommitOffset {
  topic: string;
  partition: number;
  offset: number;
  /** Kept by the broker with the offset (offset.metadata.max.bytes, 4096 by default). */
  metadata?: string;
}

export interface BatchConsumerEvents {
  assigned: [partitions: TopicPartition[]];
  revoked: [partitions: TopicPartition[]];
  paused: [inFlight: number];
  resumed: [inFlight: number];
  /**
   * These offsets were handed to the broker: confirmed for a synchronous commit and a
   * transaction; an asynchronous commit the broker then refuses is followed by `error`, and
   * its offsets go out again with the next commit.
   */
  committed: [offsets: CommitOffset[]];
  /**
   * Exactly-once: a batch's transaction was aborted and these partitions were sent back to
   * their committed offsets; state built from records after those must be dropped.
   */
  rewound: [partitions: TopicPartition[]];
  error: [error: Error];
}

/** What the client reports from librdkafka's own threads' callbacks. */
export interface ConsumerClientListener {
  /** The group gave us these partitions; they must be assigned before this returns. */
  assigned(partitions: TopicPartition[]): void;
  /** The group takes our partitions back; they are ours until `unassign()`. */
  revoked(partitions: TopicPartition[]): void;
  /** A failed rebalance; not fatal. */
  error(err: KafkaError): void;
  /** An asynchronous commit of these offsets failed; not fatal, they are committed again. */
  commitFailed(offsets: CommitOffset[], err: KafkaError): void;
}

/** The consumer-group client that BatchConsumer drives: librdkafka's, or a fake in tests. */
export interface ConsumerClient {
  /** Set once, before `connect`. */
  listen(listener: ConsumerClientListener): void;
  connect(timeoutMs: number): Promise<void>;
  isConnected(): boolean;
  subscribe(topics: readonly string[]): void;
  /** Up to `batchSize` records; rejects with a KafkaError when the poll failed. */
  consume(batchSize: number): Promise<SourceRecord[]>;
  commit(offsets: CommitOffset[]): void;
  commitSync(offsets: CommitOffset[]): void;
  /** The group's committed offsets (and their metadata) of these partitions. */
  committed?(partitions: readonly TopicPartition[], timeoutMs: number): Promise<CommitOffset[]>;
  assign(partitions: TopicPartition[]): void;
  unassign(): void;
  pause(partitions: TopicPartition[]): void;
  resume(partitions: TopicPartition[]): void;
  /** Resolves also when disconnecting failed: there is nothing left to do then. */
  disconnect(): Promise<void>;
  /** The group's committed offsets (-1 where none) and the high watermarks of these partitions. */
  offsets?(partitions: readonly TopicPartition[], timeoutMs: number): Promise<PartitionOffsets[]>;
  /** Moves an assigned partition's fetch position (exactly-once: back to its committed offset). */
  seek?(offset: CommitOffset, timeoutMs: number): Promise<void>;
  /** What the transactional producer reads the group's generation and member id from. */
  groupHandle?(): unknown;
}

/** One partition's consumer lag: the high watermark minus what the group committed. */
export interface PartitionOffsets {
  readonly topic: string;
  readonly partition: number;
  /** Next offset the group will read after a restart; -1 when it never committed. */
  readonly committed: number;
  readonly highWatermark: number;
  readonly lowWatermark: number;
}

/**
 * The producer of an exactly-once consumer: one transaction per batch, which carries the
 * batch's outputs and its input offsets. Errors are TransactionErrors.
 */
export interface TransactionalProducer {
  sendWithCallback(record: OutgoingRecord, cb: DeliveryCallback): void;
  /** Resolves once every record sent so far has its delivery report. */
  flush(timeoutMs?: number): Promise<void>;
  beginTransaction(): Promise<void>;
  sendOffsetsToTransaction(offsets: readonly CommitOffset[], group: unknown): Promise<void>;
  commitTransaction(): Promise<void>;
  abortTransaction(): Promise<void>;
  /**
   * A new handle with the same transactional id, after a fatal error: it fences the old one
   * and aborts what that one left open. Without it a fatal error stops the consumer.
   */
  renew?(): Promise<void>;
}
