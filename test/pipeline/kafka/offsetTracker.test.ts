import { OffsetTracker } from '../../../pipeline/kafka';

const T = 'orders';

function tracked(offsets: number[], partition = 0, topic = T): OffsetTracker {
  const t = new OffsetTracker();
  for (const o of offsets) t.track(topic, partition, o);
  return t;
}

describe('OffsetTracker', () => {
  it('refuses a second copy of a tracked offset, so one ack still empties the partition', () => {
    const t = tracked([5, 6, 7]);
    // A poll under way across a rebalance handed back 6..7 again, after the refetch.
    expect(t.track(T, 0, 6)).toBe(false);
    expect(t.track(T, 0, 7)).toBe(false);
    expect(t.track(T, 0, 8)).toBe(true);
    for (const o of [5, 6, 7, 8]) t.complete(T, 0, o);
    expect(t.inFlight).toBe(0);
    expect(t.inFlightFor(T, 0)).toBe(0);
    expect(t.takeCommittable()).toEqual([{ topic: T, partition: 0, offset: 9 }]);
  });

  it('tracks a partition from its committed offset again once it was forgotten at revocation', () => {
    const t = tracked([10, 11]);
    t.forget([{ topic: T, partition: 0 }]);
    expect(t.track(T, 0, 10)).toBe(true);
    t.complete(T, 0, 10);
    expect(t.takeCommittable()).toEqual([{ topic: T, partition: 0, offset: 11 }]);
  });

  it('commits nothing while the first record is unfinished', () => {
    const t = tracked([0, 1, 2]);
    t.complete(T, 0, 1);
    t.complete(T, 0, 2);
    expect(t.takeCommittable()).toEqual([]);
    expect(t.inFlight).toBe(1);
  });

  it('commits only below the lowest unfinished offset when records finish out of order', () => {
    const t = tracked([0, 1, 2, 3, 4]);
    t.complete(T, 0, 3);
    t.complete(T, 0, 0);
    t.complete(T, 0, 1);
    expect(t.takeCommittable()).toEqual([{ topic: T, partition: 0, offset: 2 }]);
    t.complete(T, 0, 4);
    expect(t.takeCommittable()).toEqual([]);
    t.complete(T, 0, 2);
    expect(t.takeCommittable()).toEqual([{ topic: T, partition: 0, offset: 5 }]);
    expect(t.inFlight).toBe(0);
  });

  it('commits the offset after the last finished one, as Kafka expects the next offset to read', () => {
    const t = tracked([41]);
    t.complete(T, 0, 41);
    expect(t.takeCommittable()).toEqual([{ topic: T, partition: 0, offset: 42 }]);
  });

  it('advances over gaps in the offsets (compacted topics, transaction markers)', () => {
    const t = tracked([10, 11, 15, 20, 21]);
    t.complete(T, 0, 10);
    t.complete(T, 0, 11);
    expect(t.takeCommittable()).toEqual([{ topic: T, partition: 0, offset: 12 }]);
    t.complete(T, 0, 20);
    expect(t.takeCommittable()).toEqual([]);
    t.complete(T, 0, 15);
    expect(t.takeCommittable()).toEqual([{ topic: T, partition: 0, offset: 21 }]);
    t.complete(T, 0, 21);
    expect(t.takeCommittable()).toEqual([{ topic: T, partition: 0, offset: 22 }]);
  });

  it('ignores completions of offsets it never tracked (inside a gap or beyond the end)', () => {
    const t = tracked([10, 15]);
    t.complete(T, 0, 12);
    t.complete(T, 0, 99);
    t.complete('other', 0, 10);
    expect(t.inFlight).toBe(2);
    expect(t.takeCommittable()).toEqual([]);
  });

  it('counts a record finished twice only once', () => {
    const t = tracked([0, 1, 2]);
    t.complete(T, 0, 1);
    t.complete(T, 0, 1);
    expect(t.inFlight).toBe(2);
    t.complete(T, 0, 0);
    t.complete(T, 0, 0);
    expect(t.inFlight).toBe(1);
    expect(t.takeCommittable()).toEqual([{ topic: T, partition: 0, offset: 2 }]);
  });

  it('keeps partitions and topics apart', () => {
    const t = new OffsetTracker();
    for (let o = 0; o < 3; o++) {
      t.track(T, 0, o);
      t.track(T, 1, o + 100);
      t.track('payments', 0, o);
    }
    t.complete(T, 1, 100);
    t.complete('payments', 0, 0);
    t.complete('payments', 0, 1);
    expect(t.inFlightFor(T, 0)).toBe(3);
    expect(t.inFlightFor(T, 1)).toBe(2);
    expect(t.inFlightFor('payments', 0)).toBe(1);
    expect(t.inFlight).toBe(6);
    const committable = t.takeCommittable();
    expect(committable).toHaveLength(2);
    expect(committable).toEqual(
      expect.arrayContaining([
        { topic: T, partition: 1, offset: 101 },
        { topic: 'payments', partition: 0, offset: 2 },
      ]),
    );
  });

  it('hands out each advance once, and the next advance again', () => {
    const t = tracked([0, 1, 2]);
    t.complete(T, 0, 0);
    expect(t.takeCommittable()).toEqual([{ topic: T, partition: 0, offset: 1 }]);
    expect(t.takeCommittable()).toEqual([]);
    t.complete(T, 0, 1);
    t.complete(T, 0, 2);
    expect(t.takeCommittable()).toEqual([{ topic: T, partition: 0, offset: 3 }]);
    expect(t.takeCommittable()).toEqual([]);
  });

  it('does not hand out an offset again when a later completion does not move it', () => {
    const t = tracked([0, 1, 2]);
    t.complete(T, 0, 0);
    expect(t.takeCommittable()).toHaveLength(1);
    t.complete(T, 0, 2);
    expect(t.takeCommittable()).toEqual([]);
  });

  it('forgets revoked partitions: late completions are ignored and inFlight drops by what was pending', () => {
    const t = new OffsetTracker();
    for (let o = 0; o < 5; o++) {
      t.track(T, 0, o);
      t.track(T, 1, o);
    }
    t.complete(T, 0, 0);
    t.complete(T, 0, 3);
    expect(t.inFlight).toBe(8);

    t.forget([{ topic: T, partition: 0 }]);
    expect(t.inFlight).toBe(5);
    expect(t.inFlightFor(T, 0)).toBe(0);

    // The handler finishes records of the revoked partition after the fact.
    for (let o = 0; o < 5; o++) t.complete(T, 0, o);
    expect(t.inFlight).toBe(5);
    expect(t.takeCommittable()).toEqual([]);

    t.complete(T, 1, 0);
    expect(t.inFlight).toBe(4);
    expect(t.takeCommittable()).toEqual([{ topic: T, partition: 1, offset: 1 }]);
  });

  it('starts a re-assigned partition from scratch after forget', () => {
    const t = tracked([0, 1]);
    t.complete(T, 0, 0);
    expect(t.takeCommittable()).toEqual([{ topic: T, partition: 0, offset: 1 }]);
    t.forget([{ topic: T, partition: 0 }]);
    t.track(T, 0, 1);
    t.complete(T, 0, 1);
    // The same advance is a new fact for the new assignment: it must be committed again.
    expect(t.takeCommittable()).toEqual([{ topic: T, partition: 0, offset: 2 }]);
    expect(t.inFlight).toBe(0);
  });

  it('ignores forgetting a partition it does not know', () => {
    const t = tracked([0]);
    t.forget([{ topic: T, partition: 7 }]);
    expect(t.inFlight).toBe(1);
  });

  it('forgetAll drops every partition and resets inFlight', () => {
    const t = tracked([0, 1]);
    t.track(T, 1, 0);
    t.forgetAll();
    expect(t.inFlight).toBe(0);
    t.complete(T, 0, 0);
    expect(t.inFlight).toBe(0);
    expect(t.takeCommittable()).toEqual([]);
  });

  it('stays correct over long runs with random completion order (prefix compaction included)', () => {
    const t = new OffsetTracker();
    const n = 20_000;
    const offsets = Array.from({ length: n }, (_, i) => i * 2 + 7); // gaps everywhere
    for (const o of offsets) t.track(T, 0, o);
    // Finish in windows of shuffled order, checking the commit point after each window.
    let seed = 42;
    const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const done = new Set<number>();
    let lastCommitted = -1;
    for (let start = 0; start < n; start += 1000) {
      const window = offsets.slice(start, start + 1000);
      for (let i = window.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [window[i], window[j]] = [window[j]!, window[i]!];
      }
      // Leave the window's last (shuffled) element for later to keep a hole open.
      const hole = window.pop()!;
      for (const o of window) {
        t.complete(T, 0, o);
        done.add(o);
      }
      const firstUnfinished = offsets.find((o) => !done.has(o))!;
      const expected = firstUnfinished > offsets[0]! ? offsets[offsets.indexOf(firstUnfinished) - 1]! + 1 : undefined;
      const got = t.takeCommittable();
      if (expected === undefined || expected === lastCommitted) expect(got).toEqual([]);
      else {
        expect(got).toEqual([{ topic: T, partition: 0, offset: expected }]);
        lastCommitted = expected;
      }
      t.complete(T, 0, hole);
      done.add(hole);
    }
    expect(t.inFlight).toBe(0);
    expect(t.takeCommittable()).toEqual([{ topic: T, partition: 0, offset: offsets[n - 1]! + 1 }]);
  });
});
