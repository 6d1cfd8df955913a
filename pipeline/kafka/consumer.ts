import { EventEmitter } from 'node:events';
import { KafkaConsumer, type LibrdKafkaError, type Message, type TopicPartition } from '@confluentinc/kafka-javascript';
import { ClosedError, KafkaError, errorMessage } from '../errors';
import type { RecordHeader, SourceRecord } from '../core/types';
import { OffsetTracker } from './offsetTracker';
import { consumerConfig, type ConsumerOptions } from './options';

export type BatchHandler = (records: SourceRecord[]) => void | Promise<void>;

const ERR_ASSIGN = -175;
const ERR_REVOKE = -174;

export interface BatchConsumerEvents {
  assigned: [partitions: TopicPartition[]];
  revoked: [partitions: TopicPartition[]];
  paused: [inFlight: number];
  resumed: [inFlight: number];
  committed: [offsets: Array<{ topic: string; partition: number; offset: number }>];
  error: [error: Error];
}

/**
 * A consumer-group member that hands records to a handler in batches and commits, per
 * partition, only offsets below which every record was acknowledged with `ack()`.
 *
 * - The handler may return before its records are finished (pipelining); memory stays
 *   bounded because no records are taken while `maxInFlight` or more are unfinished, until
 *   half of them are finished. Such a wait first just stops polling, which keeps what
 *   librdkafka prefetched (bounded by queued.max.messages.kbytes). Only a wait longer than
 *   `pauseFetchAfterMs` (an outage downstream) pauses the partitions, which drops that
 *   prefetch, and polling resumes so the group does not consider us dead.
 * - On revocation it stops taking records, waits (bounded) for the revoked partitions'
 *   in-flight records, commits what is finished and only then gives the partitions up,
 *   so the next owner starts exactly where we stopped. What was not finished in time is
 *   re-read by the next owner: delivery is at-least-once, duplicates are made harmless
 *   downstream by stable event ids.
 */
export class BatchConsumer extends EventEmitter<BatchConsumerEvents> {
  readonly tracker = new OffsetTracker();
  private readonly consumer: KafkaConsumer;
  private readonly batchSize: number;
  private readonly maxInFlight: number;
  private readonly commitIntervalMs: number;
  private readonly drainTimeoutMs: number;
  private readonly pauseFetchAfterMs: number;
  private owned = new Set<string>();
  private assignment: TopicPartition[] = [];
  /** Not taking records (backpressure); `fetchPaused` once librdkafka's partitions are paused too. */
  private paused = false;
  private fetchPaused = false;
  /** Wakes the poll loop while it waits for acks. */
  private wake: (() => void) | undefined;
  private stopping = false;
  private loop: Promise<void> | undefined;
  private revoking: Promise<void> | undefined;
  private closing: Promise<void> | undefined;
  private commitTimer: NodeJS.Timeout | undefined;
  private connected = false;

  constructor(private readonly options: ConsumerOptions) {
    super();
    this.batchSize = options.batchSize ?? 1000;
    this.maxInFlight = options.maxInFlight ?? 20_000;
    this.commitIntervalMs = options.commitIntervalMs ?? 1000;
    this.drainTimeoutMs = options.drainTimeoutMs ?? 30_000;
    this.pauseFetchAfterMs = options.pauseFetchAfterMs ?? 5_000;
    this.consumer = new KafkaConsumer(
      {
        ...consumerConfig(options),
        rebalance_cb: (err: LibrdKafkaError, assignment: TopicPartition[]) => this.onRebalance(err, assignment),
        offset_commit_cb: (err: LibrdKafkaError | null) => {
          // A failed periodic commit is not fatal: the next one carries the same or later offsets.
          if (err && err.code !== -168 /* no offset to commit */) this.emit('error', new KafkaError(`offset commit failed: ${err.message}`, { retryable: true, cause: err }));
        },
      },
      // librdkafka reads auto.offset.reset from the topic configuration; an empty one here
      // would silently mean "latest" and skip everything produced before the group existed.
      { 'auto.offset.reset': options.autoOffsetReset ?? 'earliest' },
    );
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** Partitions currently assigned to this member. */
  get assigned(): readonly TopicPartition[] {
    return this.assignment;
  }

  async connect(timeoutMs = 30_000): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.consumer.connect({ timeout: timeoutMs }, (err) =>
        err ? reject(new KafkaError(`consumer could not connect: ${err.message}`, { retryable: true, cause: err })) : resolve(),
      );
    });
    this.connected = true;
    this.consumer.setDefaultConsumeTimeout(100);
    // The 100 ms wait applies to the first record only; then a batch is whatever is
    // already fetched. Otherwise every arriving record restarts the wait, and below
    // batchSize records per 100 ms a batch returns only when full: at 850 ev/s that held
    // records ~0.6 s on average before the handler saw them (npm run bench, latency).
    // (In the library's JavaScript since 0.x, missing from its type declarations.)
    (this.consumer as unknown as { setDefaultIsTimeoutOnlyForFirstMessage(v: boolean): void }).setDefaultIsTimeoutOnlyForFirstMessage(true);
  }

  /** Subscribes and runs the poll loop until `stop()`/`close()`. Resolves when the loop ends. */
  start(handler: BatchHandler): Promise<void> {
    if (this.closing) throw new ClosedError('consumer');
    if (this.loop) throw new KafkaError('consumer already started');
    this.consumer.subscribe([...this.options.topics]);
    this.commitTimer = setInterval(() => this.commitFinished(), this.commitIntervalMs);
    this.loop = this.run(handler);
    return this.loop;
  }

  /** Marks a record finished: its output is acknowledged, indexed, or dead-lettered. */
  ack(record: Pick<SourceRecord, 'topic' | 'partition' | 'offset'>): void {
    this.tracker.complete(record.topic, record.partition, record.offset);
    // Resume as soon as enough is finished, not at the next turn of the poll loop: while
    // paused that loop sleeps in a 100 ms poll, and the indexer's last bulk requests
    // finished long before it, leaving OpenSearch idle while records waited in Kafka.
    if (this.paused && this.tracker.inFlight <= this.maxInFlight / 2) {
      if (this.wake) this.wake();
      else if (this.connected && !this.stopping && !this.revoking) this.updateFlowControl();
    }
  }

  /** Commits finished offsets now (asynchronously); also runs on a timer. */
  commitFinished(): void {
    // While a revocation drains, its own synchronous commit hands the partitions over.
    // Taking offsets here would mark them handed out and then drop them (not owned any
    // more), so that commit would miss them and the group's offset would stay behind.
    if (this.revoking) return;
    const offsets = this.tracker.takeCommittable().filter((o) => this.owned.has(key(o.topic, o.partition)));
    if (offsets.length === 0 || !this.connected) return;
    try {
      this.consumer.commit(offsets);
      this.emit('committed', offsets);
    } catch (err) {
      this.emit('error', new KafkaError(`offset commit failed: ${errorMessage(err)}`, { retryable: true, cause: err }));
    }
  }

  /** Stops fetching new records; in-flight ones may still be acked. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop?.catch(() => undefined);
  }

  /**
   * Idempotent. Stops fetching, waits (bounded) for in-flight records, commits what is
   * finished and leaves the group. Each step runs even if an earlier one failed.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.stop();
      if (this.commitTimer) clearInterval(this.commitTimer);
      await this.revoking?.catch(() => undefined);
      await waitFor(() => this.tracker.inFlight === 0, this.drainTimeoutMs);
      if (this.connected) {
        try {
          this.commitSync();
        } catch (err) {
          this.emit('error', new KafkaError(`final commit failed: ${errorMessage(err)}`, { cause: err }));
        }
        await new Promise<void>((resolve) => this.consumer.disconnect(() => resolve()));
        this.connected = false;
      }
    })();
    return this.closing;
  }

  private async run(handler: BatchHandler): Promise<void> {
    // The next batch is taken from librdkafka (on libuv's thread pool) while the handler
    // works on this one, so the JS thread does not sit idle during every poll. A batch
    // that was polled is always handled, as before: dropping one and handling the next
    // could commit past it. Only at stop is the one polled ahead left unhandled; it is
    // never tracked, so no commit reaches it and the next owner reads it again. In-flight
    // may exceed maxInFlight by one batch.
    let next: Promise<Message[]> | undefined;
    try {
      while (!this.stopping) {
        if (this.revoking && !next) {
          await this.revoking;
          continue;
        }
        if (!next) {
          await this.awaitCapacity();
          if (this.stopping) break;
          if (this.revoking) continue;
        }
        const messages = await (next ?? this.poll());
        next = undefined;
        this.updateFlowControl();
        if (!this.stopping && !this.revoking && !this.paused) next = this.poll();
        await this.handleBatch(messages, handler);
      }
    } finally {
      await next;
    }
  }

  private async handleBatch(messages: Message[], handler: BatchHandler): Promise<void> {
    const records: SourceRecord[] = [];
    for (const m of messages) {
      // Records of a partition being revoked are left for its next owner.
      if (this.owned.has(key(m.topic, m.partition))) records.push(toSourceRecord(m));
    }
    if (records.length === 0) return;
    // A poll under way across a quick rebalance can return records fetched for the old
    // assignment after the new one gave us the same partitions back, and librdkafka then
    // fetches them again from the committed offset. Tracking both copies left one in flight
    // forever: every later revocation waited out its drain and the group offset stalled
    // (fault suite, scale-1-3-1). The drain finished before that rebalance, so the
    // committed offset is where the stale copy starts: the refetch repeats it exactly, and
    // the second copy is skipped. (Dropping the stale batch instead loses records: a poll
    // issued before the rebalance can also return records of the new assignment.)
    const fresh = records.filter((r) => this.tracker.track(r.topic, r.partition, r.offset));
    if (fresh.length < records.length) {
      this.emit('error', new KafkaError(`skipped ${records.length - fresh.length} second copies of records already in flight or finished (a poll spanned a rebalance)`, { retryable: true }));
    }
    if (fresh.length === 0) return;
    try {
      await handler(fresh);
    } catch (err) {
      // Handlers are expected to dead-letter bad records themselves; reaching here is a
      // bug or an infrastructure failure. Surface it and let the service decide.
      this.emit('error', err instanceof Error ? err : new Error(String(err)));
      throw err;
    }
  }

  private poll(): Promise<Message[]> {
    return new Promise((resolve) => {
      this.consumer.consume(this.batchSize, (err, messages) => {
        if (err) {
          this.emit('error', new KafkaError(`poll failed: ${err.message}`, { retryable: true, cause: err }));
          setTimeout(() => resolve([]), 200);
          return;
        }
        resolve(messages ?? []);
      });
    });
  }

  /** Enters or leaves backpressure; the poll loop then waits in `awaitCapacity`. */
  private updateFlowControl(): void {
    const inFlight = this.tracker.inFlight;
    if (!this.paused && inFlight >= this.maxInFlight) {
      this.paused = true;
      this.emit('paused', inFlight);
    } else if (this.paused && inFlight <= this.maxInFlight / 2) {
      if (this.fetchPaused && this.assignment.length > 0) this.consumer.resume(this.assignment);
      this.paused = false;
      this.fetchPaused = false;
      this.emit('resumed', inFlight);
    }
  }

  /**
   * Returns when records may be taken again, or when the loop must poll anyway. Under
   * backpressure it waits for acks without polling: pausing the partitions right away
   * (as this did before) made librdkafka drop its prefetched records and fetch them again
   * on every resume, and the indexer then spent most of its time waiting on Kafka (indexer
   * alone at 40 % of the raw _bulk ceiling, npm run bench). After `pauseFetchAfterMs` the
   * partitions are paused and polling goes on, so rebalances are served and the group
   * keeps us, however long OpenSearch stays down.
   */
  private async awaitCapacity(): Promise<void> {
    this.updateFlowControl();
    if (!this.paused || this.fetchPaused || this.stopping || this.revoking || this.assignment.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      this.wake = resolve;
      timer = setTimeout(resolve, this.pauseFetchAfterMs);
    });
    clearTimeout(timer);
    this.wake = undefined;
    this.updateFlowControl();
    if (this.paused && !this.stopping && !this.revoking && this.connected && this.assignment.length > 0) {
      this.consumer.pause(this.assignment);
      this.fetchPaused = true;
    }
  }

  private onRebalance(err: LibrdKafkaError, partitions: TopicPartition[]): void {
    if (err.code === ERR_ASSIGN) {
      this.assignment = partitions.map(({ topic, partition }) => ({ topic, partition }));
      this.owned = new Set(this.assignment.map((p) => key(p.topic, p.partition)));
      this.consumer.assign(partitions);
      if (this.fetchPaused && partitions.length > 0) this.consumer.pause(this.assignment);
      this.emit('assigned', this.assignment);
    } else if (err.code === ERR_REVOKE) {
      this.owned = new Set();
      this.wake?.();
      const revoked = this.assignment;
      this.revoking = this.drainAndRelease(revoked).finally(() => {
        this.revoking = undefined;
      });
    } else {
      this.emit('error', new KafkaError(`rebalance failed: ${err.message}`, { retryable: true, cause: err }));
    }
  }

  private async drainAndRelease(revoked: TopicPartition[]): Promise<void> {
    await waitFor(() => revoked.every((p) => this.tracker.inFlightFor(p.topic, p.partition) === 0), this.drainTimeoutMs);
    try {
      this.commitSync(revoked);
    } catch (err) {
      this.emit('error', new KafkaError(`commit on revocation failed: ${errorMessage(err)}`, { retryable: true, cause: err }));
    }
    this.tracker.forget(revoked);
    this.assignment = [];
    try {
      this.consumer.unassign();
    } catch (err) {
      if (this.consumer.isConnected()) this.emit('error', new KafkaError(`unassign failed: ${errorMessage(err)}`, { cause: err }));
    }
    this.emit('revoked', revoked);
  }

  private commitSync(only?: readonly TopicPartition[]): void {
    const wanted = only ? new Set(only.map((p) => key(p.topic, p.partition))) : undefined;
    const offsets = this.tracker.takeCommittable().filter((o) => !wanted || wanted.has(key(o.topic, o.partition)));
    if (offsets.length > 0) {
      this.consumer.commitSync(offsets);
      this.emit('committed', offsets);
    }
  }
}

function toSourceRecord(m: Message): SourceRecord {
  const headers: RecordHeader[] = [];
  if (m.headers) {
    for (const h of m.headers) {
      for (const k of Object.keys(h)) {
        const v = h[k]!;
        headers.push({ key: k, value: typeof v === 'string' ? Buffer.from(v) : v });
      }
    }
  }
  const key = m.key === undefined || m.key === null ? null : typeof m.key === 'string' ? Buffer.from(m.key) : m.key;
  return { topic: m.topic, partition: m.partition, offset: Number(m.offset), key, value: m.value, headers, timestamp: m.timestamp };
}

function key(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}
