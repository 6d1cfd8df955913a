import type { EventEmitter } from 'node:events';
import { KafkaError, errorMessage } from '../../errors';
import type { OffsetTracker } from '../offsetTracker';
import { partitionKey } from './partitionKey';
import type { BatchConsumerEvents, CommitOffset, ConsumerClient, TopicPartition } from './types';

/**
 * Commits what the tracker says is finished, and tells the consumer's listeners.
 *
 * With metadata, a partition whose offset did not move is committed again at the same
 * offset when its metadata changed: a stage's checkpoint (which windows are written) can
 * change while the lowest record it holds stays put, and under exactly_once the transaction
 * that wrote those windows must carry it, or a restart writes them again.
 */
export class OffsetCommitter {
  constructor(
    private readonly client: ConsumerClient,
    private readonly tracker: OffsetTracker,
    private readonly events: EventEmitter<BatchConsumerEvents>,
    private readonly metadata?: (topic: string, partition: number, offset: number) => string | undefined,
  ) {}

  /** What a commit of the partitions `wanted` accepts carries now: offsets that moved, and metadata that changed. */
  private due(wanted: (topic: string, partition: number) => boolean): CommitOffset[] {
    const moved = this.tracker.takeCommittable().filter((o) => wanted(o.topic, o.partition));
    const { metadata } = this;
    if (!metadata) return moved;
    const out: CommitOffset[] = moved.map((o) => {
      const m = metadata(o.topic, o.partition, o.offset);
      return m === undefined ? o : { ...o, metadata: m };
    });
    const done = new Set(moved.map((o) => partitionKey(o.topic, o.partition)));
    for (const { topic, partition, offset, sentMetadata } of this.tracker.positions()) {
      if (done.has(partitionKey(topic, partition)) || !wanted(topic, partition)) continue;
      const m = metadata(topic, partition, offset);
      if (m !== undefined && m !== sentMetadata) out.push({ topic, partition, offset, metadata: m });
    }
    for (const o of out) if (o.metadata !== undefined) this.tracker.metadataSent(o.topic, o.partition, o.metadata);
    return out;
  }

  /**
   * The finished offsets (with metadata) of these partitions, handed out as if committed:
   * exactly-once sends them in the batch's transaction instead.
   */
  take(partitions: readonly TopicPartition[]): CommitOffset[] {
    const wanted = new Set(partitions.map((p) => partitionKey(p.topic, p.partition)));
    return this.due((topic, partition) => wanted.has(partitionKey(topic, partition)));
  }

  /** Asynchronous; a failure is reported, not thrown, and the offsets are offered again. */
  commit(owns: (topic: string, partition: number) => boolean, connected: boolean): void {
    const offsets = this.due(owns);
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
    const offsets = this.due((topic, partition) => !wanted || wanted.has(partitionKey(topic, partition)));
    if (offsets.length > 0) {
      this.client.commitSync(offsets);
      this.events.emit('committed', offsets);
    }
  }
}
