/**
 * Knows, per partition, the offset below which every consumed record is finished
 * (produced downstream, indexed, or dead-lettered). Only that offset may be committed:
 * committing a later one would lose the unfinished records if we crashed now.
 *
 * Records finish out of order (bulk requests complete independently), so each partition
 * keeps its tracked offsets in consumption order and advances over the finished prefix.
 */
export class OffsetTracker {
  private readonly partitions = new Map<string, PartitionTrack>();
  private pendingCount = 0;

  /** Records consumed and not yet finished, over all partitions. */
  get inFlight(): number {
    return this.pendingCount;
  }

  /**
   * Starts tracking a consumed record. Returns false, tracking nothing, for an offset not
   * above the partition's last tracked one: a second copy of a record this member already
   * has (in flight or finished) must not be counted, or it stays in flight forever.
   */
  track(topic: string, partition: number, offset: number): boolean {
    const key = tpKey(topic, partition);
    let track = this.partitions.get(key);
    if (!track) {
      track = new PartitionTrack(topic, partition);
      this.partitions.set(key, track);
    }
    if (!track.add(offset)) return false;
    this.pendingCount++;
    return true;
  }

  /** Marks one record finished. Unknown offsets (partition revoked meanwhile) are ignored. */
  complete(topic: string, partition: number, offset: number): void {
    const track = this.partitions.get(tpKey(topic, partition));
    if (track?.finish(offset)) this.pendingCount--;
  }

  inFlightFor(topic: string, partition: number): number {
    return this.partitions.get(tpKey(topic, partition))?.pending ?? 0;
  }

  /**
   * Offsets that can be committed now and were not handed out before: the next offset to
   * read (last finished + 1), as Kafka expects.
   */
  takeCommittable(): Array<{ topic: string; partition: number; offset: number }> {
    const out: Array<{ topic: string; partition: number; offset: number }> = [];
    for (const t of this.partitions.values()) {
      if (t.next !== undefined && t.next !== t.lastTaken) {
        t.lastTaken = t.next;
        out.push({ topic: t.topic, partition: t.partition, offset: t.next });
      }
    }
    return out;
  }

  /**
   * Where each partition's commit stands without handing out anything new: the offset last
   * handed out, or, before any, the first offset tracked (nothing below it is unfinished).
   * A commit there changes only its metadata.
   */
  positions(): Array<{ topic: string; partition: number; offset: number; sentMetadata: string | undefined }> {
    const out: Array<{ topic: string; partition: number; offset: number; sentMetadata: string | undefined }> = [];
    for (const t of this.partitions.values()) {
      const offset = t.lastTaken ?? t.first;
      if (offset !== undefined) out.push({ topic: t.topic, partition: t.partition, offset, sentMetadata: t.sentMetadata });
    }
    return out;
  }

  /**
   * The commit metadata handed out for a partition. Kept with its offsets, so a partition
   * forgotten (revoked, or rewound after an aborted transaction) sends its metadata again.
   */
  metadataSent(topic: string, partition: number, metadata: string): void {
    const track = this.partitions.get(tpKey(topic, partition));
    if (track) track.sentMetadata = metadata;
  }

  /**
   * Offsets handed out by takeCommittable whose commit failed: they are handed out again,
   * unless a later offset of the partition was handed out since (its commit covers them).
   */
  offerAgain(offsets: ReadonlyArray<{ topic: string; partition: number; offset: number; metadata?: string }>): void {
    for (const { topic, partition, offset, metadata } of offsets) {
      const track = this.partitions.get(tpKey(topic, partition));
      if (track && track.lastTaken === offset) track.lastTaken = undefined;
      if (track && metadata !== undefined && track.sentMetadata === metadata) track.sentMetadata = undefined;
    }
  }

  /** Forgets partitions we no longer own; their late completions are then ignored. */
  forget(partitions: ReadonlyArray<{ topic: string; partition: number }>): void {
    for (const { topic, partition } of partitions) {
      const key = tpKey(topic, partition);
      const track = this.partitions.get(key);
      if (track) {
        this.pendingCount -= track.pending;
        this.partitions.delete(key);
      }
    }
  }

  forgetAll(): void {
    this.partitions.clear();
    this.pendingCount = 0;
  }
}

class PartitionTrack {
  /** Tracked offsets in consumption order; entries before `head` are finished. */
  private offsets: number[] = [];
  private head = 0;
  private readonly finished = new Set<number>();
  pending = 0;
  /** Next offset to read: everything below it is finished. */
  next: number | undefined;
  lastTaken: number | undefined;
  /** The first offset ever tracked. */
  first: number | undefined;
  sentMetadata: string | undefined;

  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {}

  /** Highest offset ever tracked; offsets must arrive in increasing order. */
  private last = -1;

  add(offset: number): boolean {
    if (offset <= this.last) return false;
    this.last = offset;
    this.first ??= offset;
    this.offsets.push(offset);
    this.pending++;
    return true;
  }

  finish(offset: number): boolean {
    if (this.finished.has(offset) || !this.isTracked(offset)) return false;
    this.finished.add(offset);
    this.pending--;
    while (this.head < this.offsets.length && this.finished.has(this.offsets[this.head]!)) {
      const o = this.offsets[this.head++]!;
      this.finished.delete(o);
      this.next = o + 1;
    }
    if (this.head > 4096 && this.head * 2 > this.offsets.length) {
      this.offsets = this.offsets.slice(this.head);
      this.head = 0;
    }
    return true;
  }

  private isTracked(offset: number): boolean {
    // Offsets are added in increasing order, so a binary search over the live part works.
    let lo = this.head;
    let hi = this.offsets.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = this.offsets[mid]!;
      if (v === offset) return true;
      if (v < offset) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }
}

function tpKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}
