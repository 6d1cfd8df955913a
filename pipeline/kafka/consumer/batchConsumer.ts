import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SourceRecord } from '../../core/types';
import { ClosedError, KafkaError, errorMessage } from '../../errors';
import { OffsetTracker } from '../offsetTracker';
import type { ConsumerOptions } from '../options';
import { FlowChange, FlowControl } from './flowControl';
import { LibrdkafkaClient } from './librdkafkaClient';
import type { DeliveryCallback, OutgoingRecord } from '../producer';
import { BatchTransactions } from './batchTransactions';
import { OffsetCommitter } from './offsetCommitter';
import { Rebalancer } from './rebalancer';
import type { BatchConsumerEvents, BatchHandler, CommitOffset, ConsumerClient, PartitionOffsets, TopicPartition } from './types';
import { waitFor } from './waitFor';

/**
 * A consumer-group member that hands records to a handler in batches and commits, per
 * partition, only offsets below which every record was acknowledged with `ack()`.
 *
 * The handler may return before its records are finished (pipelining); memory stays
 * bounded by backpressure (FlowControl). Revocations hand partitions over at the
 * acknowledged offset (Rebalancer).
 */
export class BatchConsumer extends EventEmitter<BatchConsumerEvents> {
  readonly tracker = new OffsetTracker();
  private readonly client: ConsumerClient;
  private readonly batchSize: number;
  private readonly maxInFlight: number;
  private readonly commitIntervalMs: number;
  private readonly drainTimeoutMs: number;
  private readonly drained: () => boolean;
  private readonly pauseFetchAfterMs: number;
  private readonly flow: FlowControl;
  private readonly committer: OffsetCommitter;
  private readonly rebalancer: Rebalancer;
  private readonly transactions: BatchTransactions | undefined;
  /** Wakes the poll loop while it waits for acks. */
  private wake: (() => void) | undefined;
  private stopping = false;
  private loop: Promise<void> | undefined;
  private closing: Promise<void> | undefined;
  private commitTimer: NodeJS.Timeout | undefined;
  private connected = false;

  /** `client` is librdkafka's unless given (tests pass a fake). */
  constructor(
    private readonly options: ConsumerOptions,
    client?: ConsumerClient,
  ) {
    super();
    this.batchSize = options.batchSize ?? 1000;
    this.maxInFlight = options.maxInFlight ?? 20_000;
    this.commitIntervalMs = options.commitIntervalMs ?? 1000;
    this.drainTimeoutMs = options.drainTimeoutMs ?? 30_000;
    this.drained = options.drained ?? (() => false);
    this.pauseFetchAfterMs = options.pauseFetchAfterMs ?? 5_000;
    this.client = client ?? new LibrdkafkaClient(options);
    this.flow = new FlowControl(this.maxInFlight);
    this.committer = new OffsetCommitter(this.client, this.tracker, this, options.commitMetadata);
    this.transactions = options.transactional
      ? new BatchTransactions({
          producer: options.transactional,
          client: this.client,
          tracker: this.tracker,
          committer: this.committer,
          events: this,
          assignment: () => this.rebalancer.assignment,
          autoOffsetReset: options.autoOffsetReset ?? 'earliest',
        })
      : undefined;
    const transactions = this.transactions;
    this.rebalancer = new Rebalancer({
      transactions: transactions && { idle: () => transactions.idle },
      client: this.client,
      tracker: this.tracker,
      flow: this.flow,
      committer: this.committer,
      events: this,
      drainTimeoutMs: this.drainTimeoutMs,
      drained: this.drained,
      wake: () => this.wake?.(),
    });
    this.client.listen({
      assigned: (partitions) => this.rebalancer.assign(partitions),
      revoked: () => this.rebalancer.revoke(),
      error: (err) => this.emit('error', err),
      commitFailed: (offsets, err) => this.committer.failed(offsets, err),
    });
  }

  /**
   * Where the handler sends its outputs: the transactional producer's sends inside the
   * batch's transaction under exactly-once; undefined otherwise (send with the producer).
   */
  get sender(): { sendWithCallback(record: OutgoingRecord, cb: DeliveryCallback): void } | undefined {
    return this.transactions?.sender;
  }

  get isPaused(): boolean {
    return this.flow.paused;
  }

  /** Partitions currently assigned to this member. */
  get assigned(): readonly TopicPartition[] {
    return this.rebalancer.assignment;
  }

  /** Records taken and not yet finished (acked). */
  get inFlight(): number {
    return this.tracker.inFlight;
  }

  get groupId(): string {
    return this.options.groupId;
  }

  /**
   * Lag of each assigned partition from the broker's view: the high watermark minus the
   * group's committed offset (the log start when it never committed), i.e. what a restart
   * would read again or has not read yet. Empty without partitions or a client that cannot tell.
   */
  async lag(timeoutMs = 5_000): Promise<Array<PartitionOffsets & { readonly lag: number }>> {
    const assigned = this.assigned;
    if (!this.connected || !this.client.offsets || assigned.length === 0) return [];
    const offsets = await this.client.offsets(assigned, timeoutMs);
    return offsets.map((o) => ({ ...o, lag: Math.max(0, o.highWatermark - (o.committed >= 0 ? o.committed : o.lowWatermark)) }));
  }

  async connect(timeoutMs = 30_000): Promise<void> {
    await this.client.connect(timeoutMs);
    this.connected = true;
  }

  /** Subscribes and runs the poll loop until `stop()`/`close()`. Resolves when the loop ends. */
  start(handler: BatchHandler): Promise<void> {
    if (this.closing) throw new ClosedError('consumer');
    if (this.loop) throw new KafkaError('consumer already started');
    this.client.subscribe(this.options.topics);
    if (!this.transactions) this.commitTimer = setInterval(() => this.commitFinished(), this.commitIntervalMs);
    this.loop = this.run(handler);
    return this.loop;
  }

  /** Marks a record finished: its output is acknowledged, indexed, or dead-lettered. */
  ack(record: Pick<SourceRecord, 'topic' | 'partition' | 'offset'>): void {
    this.tracker.complete(record.topic, record.partition, record.offset);
    // Resume as soon as enough is finished, not at the next turn of the poll loop: while
    // paused that loop sleeps in a 100 ms poll, and the indexer's last bulk requests
    // finished long before it, leaving OpenSearch idle while records waited in Kafka.
    if (this.flow.canResume(this.tracker.inFlight)) {
      if (this.wake) this.wake();
      else if (this.connected && !this.stopping && !this.rebalancer.revoking) this.updateFlowControl();
    }
  }

  /** The group's committed offsets and metadata of these partitions (for a stateful handler's restart). */
  async committed(partitions: readonly TopicPartition[], timeoutMs = 10_000): Promise<CommitOffset[]> {
    if (!this.client.committed) throw new KafkaError('this consumer client cannot read committed offsets');
    return this.client.committed(partitions, timeoutMs);
  }

  /** Commits finished offsets now (asynchronously); also runs on a timer. */
  commitFinished(): void {
    // Exactly-once: offsets are committed only inside a batch's transaction.
    if (this.transactions) return;
    // While a revocation drains, its own synchronous commit hands the partitions over.
    // Taking offsets here would mark them handed out and then drop them (not owned any
    // more), so that commit would miss them and the group's offset would stay behind.
    if (this.rebalancer.revoking) return;
    this.committer.commit((topic, partition) => this.rebalancer.owns(topic, partition), this.connected);
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
      await this.rebalancer.revoking?.catch(() => undefined);
      await waitFor(() => this.tracker.inFlight === 0 || this.drained(), this.drainTimeoutMs);
      if (this.connected) {
        try {
          if (!this.transactions) this.committer.commitSync();
        } catch (err) {
          this.emit('error', new KafkaError(`final commit failed: ${errorMessage(err)}`, { cause: err }));
        }
        await this.client.disconnect();
        this.connected = false;
      }
    })();
    return this.closing;
  }

  private async run(handler: BatchHandler): Promise<void> {
    // The next batch is taken from librdkafka (on libuv's thread pool) while the handler
    // works on this one, so the JS thread does not sit idle during every poll. A batch
    // that was polled is always handled: dropping one and handling the next could commit
    // past it. Only at stop is the one polled ahead left unhandled; it is never tracked,
    // so no commit reaches it and the next owner reads it again. In-flight may exceed
    // maxInFlight by one batch.
    let next: Promise<SourceRecord[]> | undefined;
    try {
      while (!this.stopping) {
        const revoking = this.rebalancer.revoking;
        if (revoking && !next) {
          await revoking;
          continue;
        }
        if (!next) {
          await this.awaitCapacity();
          if (this.stopping) break;
          if (this.rebalancer.revoking) continue;
        }
        const records = await (next ?? this.poll());
        next = undefined;
        this.updateFlowControl();
        // Not under exactly-once: an aborted batch seeks back, and a batch polled ahead of
        // that seek would be handled as if it came after the committed offset.
        if (!this.transactions && !this.stopping && !this.rebalancer.revoking && !this.flow.paused) next = this.poll();
        await this.handleBatch(records, handler);
      }
    } finally {
      await next;
    }
  }

  private async handleBatch(polled: SourceRecord[], handler: BatchHandler): Promise<void> {
    const records = polled.filter((r) => this.rebalancer.owns(r.topic, r.partition));
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
      await (this.transactions ? this.transactions.run(fresh, handler) : handler(fresh));
    } catch (err) {
      // Handlers are expected to dead-letter bad records themselves; reaching here is a
      // bug or an infrastructure failure. Surface it and let the service decide.
      this.emit('error', err instanceof Error ? err : new Error(String(err)));
      throw err;
    }
  }

  private async poll(): Promise<SourceRecord[]> {
    try {
      return await this.client.consume(this.batchSize);
    } catch (err) {
      this.emit('error', err instanceof Error ? err : new KafkaError(`poll failed: ${errorMessage(err)}`, { retryable: true, cause: err }));
      await sleep(200);
      return [];
    }
  }

  /** Enters or leaves backpressure; the poll loop then waits in `awaitCapacity`. */
  private updateFlowControl(): void {
    const inFlight = this.tracker.inFlight;
    const update = this.flow.update(inFlight);
    if (!update) return;
    const assignment = this.rebalancer.assignment;
    if (update.resumeFetch && assignment.length > 0) this.client.resume(assignment);
    this.emit(update.change === FlowChange.PAUSED ? 'paused' : 'resumed', inFlight);
  }

  /**
   * Returns when records may be taken again, or when the loop must poll anyway. Under
   * backpressure it waits for acks without polling: pausing the partitions at once makes
   * librdkafka drop its prefetched records and fetch them again on every resume, and the
   * indexer then spent most of its time waiting on Kafka (indexer alone at 40 % of the raw
   * _bulk ceiling, npm run bench). After `pauseFetchAfterMs` the partitions are paused and
   * polling goes on, so rebalances are served and the group keeps us, however long
   * OpenSearch stays down.
   */
  private async awaitCapacity(): Promise<void> {
    this.updateFlowControl();
    if (!this.flow.waitingForAcks || this.stopping || this.rebalancer.revoking || this.rebalancer.assignment.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      this.wake = resolve;
      timer = setTimeout(resolve, this.pauseFetchAfterMs);
    });
    clearTimeout(timer);
    this.wake = undefined;
    this.updateFlowControl();
    const assignment = this.rebalancer.assignment;
    if (this.flow.paused && !this.stopping && !this.rebalancer.revoking && this.connected && assignment.length > 0) {
      this.client.pause(assignment);
      this.flow.pauseFetch();
    }
  }
}
