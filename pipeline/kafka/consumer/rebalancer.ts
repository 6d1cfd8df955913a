import type { EventEmitter } from 'node:events';
import { KafkaError, errorMessage } from '../../errors';
import type { OffsetTracker } from '../offsetTracker';
import type { FlowControl } from './flowControl';
import type { OffsetCommitter } from './offsetCommitter';
import { partitionKey } from './partitionKey';
import type { BatchConsumerEvents, ConsumerClient, TopicPartition } from './types';
import { waitFor } from './waitFor';

export interface RebalancerOptions {
  readonly client: ConsumerClient;
  readonly tracker: OffsetTracker;
  readonly flow: FlowControl;
  readonly committer: OffsetCommitter;
  readonly events: EventEmitter<BatchConsumerEvents>;
  readonly drainTimeoutMs: number;
  /** No in-flight record can still finish: the drain ends at once (see drained in the options). */
  readonly drained: () => boolean;
  /** Ends the poll loop's wait for acks, so it sees the revocation at once. */
  readonly wake: () => void;
  /**
   * Exactly-once: the hand-over waits for the batch's transaction (its offsets travel in
   * it, with this generation) instead of in-flight records, and commits nothing itself.
   */
  readonly transactions?: { idle(): boolean };
}

/**
 * Which partitions this member owns, and the hand-over on revocation: stop taking their
 * records, wait (bounded) for their in-flight ones, commit what is finished and only then
 * give them up, so the next owner starts exactly where we stopped. What was not finished
 * in time is re-read by the next owner: delivery is at-least-once, duplicates are made
 * harmless downstream by stable event ids.
 */
export class Rebalancer {
  private owned = new Set<string>();
  private current: TopicPartition[] = [];
  private draining: Promise<void> | undefined;

  constructor(private readonly o: RebalancerOptions) {}

  get assignment(): TopicPartition[] {
    return this.current;
  }

  /** Under way while a revocation drains; undefined otherwise. */
  get revoking(): Promise<void> | undefined {
    return this.draining;
  }

  /** Records of a partition being revoked are left for its next owner. */
  owns(topic: string, partition: number): boolean {
    return this.owned.has(partitionKey(topic, partition));
  }

  assign(partitions: TopicPartition[]): void {
    this.current = partitions.map(({ topic, partition }) => ({ topic, partition }));
    this.owned = new Set(this.current.map((p) => partitionKey(p.topic, p.partition)));
    this.o.client.assign(partitions);
    if (this.o.flow.fetchPaused && partitions.length > 0) this.o.client.pause(this.current);
    this.o.events.emit('assigned', this.current);
  }

  revoke(): void {
    this.owned = new Set();
    this.o.wake();
    const revoked = this.current;
    this.draining = this.drainAndRelease(revoked).finally(() => {
      this.draining = undefined;
    });
  }

  private async drainAndRelease(revoked: TopicPartition[]): Promise<void> {
    const { client, tracker, events, transactions } = this.o;
    if (transactions) {
      await waitFor(() => transactions.idle(), this.o.drainTimeoutMs);
    } else {
      await waitFor(() => this.o.drained() || revoked.every((p) => tracker.inFlightFor(p.topic, p.partition) === 0), this.o.drainTimeoutMs);
      try {
        this.o.committer.commitSync(revoked);
      } catch (err) {
        events.emit('error', new KafkaError(`commit on revocation failed: ${errorMessage(err)}`, { retryable: true, cause: err }));
      }
    }
    tracker.forget(revoked);
    this.current = [];
    try {
      client.unassign();
    } catch (err) {
      if (client.isConnected()) events.emit('error', new KafkaError(`unassign failed: ${errorMessage(err)}`, { cause: err }));
    }
    events.emit('revoked', revoked);
  }
}
