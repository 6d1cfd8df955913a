import type { EventEmitter } from 'node:events';
import { KafkaError, errorMessage } from '../../errors';
import type { OffsetTracker } from '../offsetTracker';
import { partitionKey } from './partitionKey';
import type { BatchConsumerEvents, CommitOffset, ConsumerClient, TopicPartition } from './types';

/** Commits what the tracker says is finished, and tells the consumer's listeners. */
export class OffsetCommitter {
  constructor(
    private readonly client: ConsumerClient,
    private readonly tracker: OffsetTracker,
    private readonly events: EventEmitter<BatchConsumerEvents>,
    private readonly metadata?: (topic: string, partition: number, offset: number) => string | undefined,
  ) {}

  private withMetadata(offsets: CommitOffset[]): CommitOffset[] {
    const { metadata } = this;
    if (!metadata) return offsets;
    return offsets.map((o) => {
      const m = metadata(o.topic, o.partition, o.offset);
      return m === undefined ? o : { ...o, metadata: m };
    });
  }

  /**
   * The finished offsets (with metadata) of these partitions, handed out as if committed:
   * exactly-once sends them in the batch's transaction instead.
   */
  take(partitions: readonly TopicPartition[]): CommitOffset[] {
    const wanted = new Set(partitions.map((p) => partitionKey(p.topic, p.partition)));
    return this.withMetadata(this.tracker.takeCommittable().filter((o) => wanted.has(partitionKey(o.topic, o.partition))));
  }

  /** Asynchronous; a failure is reported, not thrown, and the offsets are offered again. */
  commit(owns: (topic: string, partition: number) => boolean, connected: boolean): void {
    const offsets = this.withMetadata(this.tracker.takeCommittable().filter((o) => owns(o.topic, o.partition)));
    if (offsets.length === 0 || !connected) return;
    try {
      this.client.commit(offsets);
      this.events.emit('committed', offsets);
    } catch (err) {
      this.failed(offsets, new KafkaError(`offset commit failed: ${errorMessage(err)}`, { retryable: true, cause: err }));
    }
  }

  /**
   * A commit of these offsets failed (e.g. the group coordinator moved). The next commit
   * carries them again: after a partition's last record nothing else would, and the group
   * would stay behind until a restart re-reads what was finished.
   */
  failed(offsets: readonly CommitOffset[], err: KafkaError): void {
    this.tracker.offerAgain(offsets);
    this.events.emit('error', err);
  }

  /** Synchronous, of every partition or only of `only`; throws when the commit failed. */
  commitSync(only?: readonly TopicPartition[]): void {
    const wanted = only ? new Set(only.map((p) => partitionKey(p.topic, p.partition))) : undefined;
    const offsets = this.withMetadata(this.tracker.takeCommittable().filter((o) => !wanted || wanted.has(partitionKey(o.topic, o.partition))));
    if (offsets.length > 0) {
      this.client.commitSync(offsets);
      this.events.emit('committed', offsets);
    }
  }
}
