import type { ConsumerGlobalConfig, ProducerGlobalConfig } from '@confluentinc/kafka-javascript';
import type { TransactionalProducer } from './consumer/types';

export interface ClientOptions {
  /** Bootstrap servers, e.g. ["127.0.0.1:9092"]. */
  readonly brokers: readonly string[];
  /** Shows in broker logs and consumer-group listings. Default "streamdex". */
  readonly clientId?: string;
  /** Raw librdkafka settings, applied last (see librdkafka CONFIGURATION.md). */
  readonly librdkafka?: Readonly<Record<string, string | number | boolean>>;
}

export interface ProducerOptions extends ClientOptions {
  /** Idempotent producer: broker de-duplicates retries, keeps per-partition order. Default true. */
  readonly idempotent?: boolean;
  /** Wait this long to fill a batch. Default 5 ms: low latency, still batches under load. */
  readonly lingerMs?: number;
  /** Default "lz4": cheap on CPU, halves JSON on the wire. */
  readonly compression?: 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';
  /** Makes it a transactional producer (exactly-once): unique per running instance. */
  readonly transactionalId?: string;
}

/**
 * How long the coordinator lets a transaction stay open before aborting it itself: what a
 * killed instance's open transaction holds read_committed readers (and, through pending
 * offsets, the next owner of its partitions) up when its successor has another
 * transactional id. A batch's transaction takes well under a second; the session timeout
 * (10 s) delays the takeover by as much anyway.
 */
export const TRANSACTION_TIMEOUT_MS = 10_000;

export interface ConsumerOptions extends ClientOptions {
  readonly groupId: string;
  readonly topics: readonly string[];
  /** Records handed to the handler at most per poll. Default 1000. */
  readonly batchSize?: number;
  /** Unfinished records at which no more are taken until half are finished (bounded memory). Default 20000. */
  readonly maxInFlight?: number;
  /** How often finished offsets are committed. Default 1000 ms. */
  readonly commitIntervalMs?: number;
  /**
   * Under backpressure, how long to wait for acks before pausing the partitions (which drops
   * librdkafka's prefetched records) and polling on for group membership. Default 5000 ms.
   */
  readonly pauseFetchAfterMs?: number;
  /** On revocation and close, how long to wait for in-flight records. Default 30000 ms. */
  readonly drainTimeoutMs?: number;
  /**
   * On revocation and close, true when no in-flight record can still finish, so the wait
   * ends at once: a stateful consumer's records held by open windows finish only with more
   * input, which a closing consumer takes no more of. Default: only when none is in flight.
   */
  readonly drained?: () => boolean;
  /** Where a new group starts. Default "earliest": nothing produced before start is skipped. */
  readonly autoOffsetReset?: 'earliest' | 'latest';
  /**
   * Metadata to commit with a partition's offset, asked at every commit: a stateful consumer
   * keeps there what a restart from that offset must know.
   */
  readonly commitMetadata?: (topic: string, partition: number, offset: number) => string | undefined;
  /**
   * Exactly-once: every batch runs in a transaction of this producer that also carries the
   * batch's offsets; the consumer then never commits by itself. The handler must send
   * through `BatchConsumer.sender`.
   */
  readonly transactional?: TransactionalProducer;
}

export function producerConfig(o: ProducerOptions): ProducerGlobalConfig {
  return {
    'bootstrap.servers': o.brokers.join(','),
    'client.id': o.clientId ?? 'streamdex',
    'enable.idempotence': o.idempotent ?? true,
    acks: 'all',
    'linger.ms': o.lingerMs ?? 5,
    'compression.codec': o.compression ?? 'lz4',
    'batch.size': 1_000_000,
    'queue.buffering.max.messages': 200_000,
    'queue.buffering.max.kbytes': 131_072,
    dr_cb: true,
    'socket.keepalive.enable': true,
    ...(o.transactionalId ? { 'transactional.id': o.transactionalId, 'transaction.timeout.ms': TRANSACTION_TIMEOUT_MS } : {}),
    ...(o.librdkafka ?? {}),
  } as ProducerGlobalConfig;
}

export function consumerConfig(o: ConsumerOptions): ConsumerGlobalConfig {
  return {
    'bootstrap.servers': o.brokers.join(','),
    'client.id': o.clientId ?? 'streamdex',
    'group.id': o.groupId,
    // We commit ourselves, and only what is finished; see OffsetTracker.
    'enable.auto.commit': false,
    'enable.auto.offset.store': false,
    'auto.offset.reset': o.autoOffsetReset ?? 'earliest',
    // Never what an aborted transaction wrote; and OffsetFetch then waits for offsets still
    // pending in an open transaction (KIP-447), so a new owner starts after them.
    'isolation.level': 'read_committed',
    // A killed instance's partitions move to the survivors within ~10 s instead of 45 s.
    'session.timeout.ms': 10_000,
    'heartbeat.interval.ms': 2_000,
    // Bounds what librdkafka prefetches (one queue for all partitions). Backpressure keeps
    // this prefetch instead of pausing (see BatchConsumer), so it counts in the indexer's
    // memory during an outage: 4 MiB held the outage peak at 217 MiB against 235 MiB with
    // 16 MiB, at the same indexer throughput (17,181 vs 18,029 docs/s, 99 % vs 95 % of
    // raw _bulk; npm run bench -- --only ceilings,stages,memory, 2026-11-30).
    'queued.max.messages.kbytes': 4_096,
    // Once that queue is full, librdkafka waits this long before fetching the partition
    // again (default 1000 ms). A pre-filled topic keeps it full, and after each
    // pause/resume (maxInFlight) the consumer then stood idle for up to a second.
    'fetch.queue.backoff.ms': 20,
    'fetch.wait.max.ms': 100,
    'socket.keepalive.enable': true,
    ...(o.librdkafka ?? {}),
  } as ConsumerGlobalConfig;
}
