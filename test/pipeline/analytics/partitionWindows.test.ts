import { PartitionWindows, aggregateId, decodeCheckpoint, encodeCheckpoint, type AggregateDocument, type ClosedWindow } from '../../../pipeline/analytics';
import { login, runStream, seeded, spec } from './streamKit';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

function allOf(closed: readonly ClosedWindow[], sizeMs: number): AggregateDocument[] {
  return closed.filter((c) => c.sizeMs === sizeMs).flatMap((c) => c.aggregates.filter((a) => a.dimension === 'all'));
}

describe('PartitionWindows', () => {
  it('counts every event once per window size and dimension, closing windows at the watermark', () => {
    const w = new PartitionWindows(spec, 2);
    const closed: ClosedWindow[] = [];
    // 10 s windows: [0,10) gets 3, [10,20) gets 2; then an event at 25 s (watermark 20 s) closes both.
    const times = [1_000, 4_000, 9_999, 10_000, 19_000, 25_000];
    const users = ['a', 'b', 'a', 'c', 'c', 'd'];
    times.forEach((t, i) => closed.push(...w.add(login(i, T0 + t, users[i]!, i < 2 ? 'DE' : 'US')).closed));
    expect(closed.map((c) => [c.sizeMs, c.startMs - T0])).toEqual([
      [10_000, 0],
      [10_000, 10_000],
    ]);
    const [first, second] = closed;
    const byKey = (c: ClosedWindow) => Object.fromEntries(c.aggregates.map((a) => [`${a.dimension}=${a.value}`, [a.count, a.users, a.sum['n']]]));
    expect(byKey(first!)).toEqual({
      'all=all': [3, 2, 3],
      'country=DE': [2, 2, 2],
      'country=US': [1, 1, 1],
      'outdated=true': [2, 1, 2],
      'outdated=false': [1, 1, 1],
    });
    expect(byKey(second!)).toEqual({ 'all=all': [2, 1, 2], 'country=US': [2, 1, 2], 'outdated=false': [1, 1, 1], 'outdated=true': [1, 1, 1] });
    expect(first!.aggregates.find((a) => a.dimension === 'all')).toMatchObject({
      aggregate_id: aggregateId('login', 10_000, T0, 'all', 'all', 2),
      partition: 2,
      window: { size_seconds: 10, start: new Date(T0).toISOString(), end: new Date(T0 + 10_000).toISOString() },
      late_events: 0,
    });
    expect(w.openWindows).toBe(2); // [20,30) of 10 s and [0,60) of 1 min
  });

  it('takes an event within the allowed lateness into its window, and counts a later one on the newest window', () => {
    const w = new PartitionWindows(spec, 0);
    const closed: ClosedWindow[] = [];
    const add = (o: number, t: number) => {
      const r = w.add(login(o, T0 + t, 'u'));
      closed.push(...r.closed);
      return r;
    };
    add(0, 2_000);
    add(1, 14_000); // watermark 9 s: [0,10) still open
    expect(add(2, 8_000).lateSizes).toBe(0); // out of order but in time
    add(3, 16_000); // watermark 11 s: [0,10) closes with offsets 0 and 2
    expect(allOf(closed, 10_000).map((a) => a.count)).toEqual([2]);
    const late = add(4, 9_000); // its window has closed
    expect(late.lateSizes).toBe(1);
    // Counted on the newest 10 s window, whose first record (offset 3) holds the commit below it.
    expect(late.release).toBe(true);
    add(5, 31_000); // closes [10,20) carrying the late event
    const second = allOf(closed, 10_000)[1]!;
    expect([second.window.start, second.count, second.late_events]).toEqual([new Date(T0 + 10_000).toISOString(), 2, 1]);
  });

  it('holds only the first record of each window: the commit stops there, the rest are released at once', () => {
    const w = new PartitionWindows(spec, 0);
    // Offsets 0-2 in [0,10) and [0,60): offset 0 is the first of both; 1 and 2 are held by none.
    expect([0, 1, 2].map((o) => w.add(login(o, T0 + 1_000 + o, 'u')).release)).toEqual([false, true, true]);
    // Offset 3 opens [10,20) (held), and is in [0,60) behind offset 0.
    expect(w.add(login(3, T0 + 12_000, 'u')).release).toBe(false);
    expect(w.heldRecords).toBe(2);
    expect(w.openWindows).toBe(3);
  });

  it('holds a record until every window holding it is confirmed', () => {
    const w = new PartitionWindows(spec, 0);
    w.add(login(0, T0 + 1_000, 'u'));
    const c10 = w.add(login(1, T0 + 16_000, 'u')).closed;
    expect(c10).toHaveLength(1);
    expect(w.confirm(c10[0]!)).toEqual([]); // offset 0 is still in the open 1 min window
    const c60 = w.add(login(2, T0 + 66_000, 'u')).closed;
    expect(c60.map((c) => c.sizeMs)).toEqual([10_000, 60_000]);
    expect(w.confirm(c60[1]!)).toEqual([0]);
    expect(w.confirm(c60[0]!)).toEqual([1]);
    expect(w.confirm(c60[0]!)).toEqual([]); // a second confirmation releases nothing
    expect(w.heldRecords).toBe(1);
  });

  it('checkpoints what is confirmed and the highest event time below the commit offset', () => {
    const w = new PartitionWindows(spec, 0);
    const closed = [1_000, 30_000, 20_000, 40_000].flatMap((t, i) => w.add(login(i, T0 + t, 'u')).closed);
    expect(closed.map((c) => c.startMs - T0)).toEqual([0, 20_000]);
    expect(w.checkpoint(1)).toEqual({ maxEventTimeMs: T0 + 1_000, closedThrough: {} });
    w.confirm(closed[1]!);
    expect(w.checkpoint(1).closedThrough).toEqual({}); // [0,10) is not confirmed yet
    w.confirm(closed[0]!);
    const cp = w.checkpoint(2);
    expect(cp).toEqual({ maxEventTimeMs: T0 + 30_000, closedThrough: { '10000': T0 + 30_000 } });
    expect(decodeCheckpoint(encodeCheckpoint(cp))).toEqual(cp);
    expect(decodeCheckpoint('not json')).toBeUndefined();
    expect(decodeCheckpoint(JSON.stringify({ v: 2, m: 1, c: {} }))).toBeUndefined();
    expect(encodeCheckpoint(cp).length).toBeLessThan(200);
  });

  it('skips, after a restart, records of windows the checkpoint says were written', () => {
    // The commit was below a record at 16 s, so the watermark restarts lower than closedThrough.
    const cp = { maxEventTimeMs: T0 + 12_000, closedThrough: { '10000': T0 + 20_000 } };
    const w = new PartitionWindows(spec, 0, cp);
    // [10,20) was written: a replayed record of it is neither counted nor late.
    const r = w.add(login(7, T0 + 15_000, 'u'));
    expect([r.lateSizes, r.release]).toEqual([0, false]); // still in the open 1 min window
    const closed = w.add(login(8, T0 + 70_000, 'u')).closed;
    // Only the 10 s windows after [10,20) and the 1 min window are written.
    expect(allOf(closed, 10_000).map((a) => a.window.start)).toEqual([new Date(T0 + 60_000).toISOString()].slice(0, 0));
    expect(allOf(closed, 60_000).map((a) => a.count)).toEqual([1]);
  });
});

describe('PartitionWindows under crashes (random streams, replayed from the last commit)', () => {
  function stream(seed: number, n: number) {
    const rnd = seeded(seed);
    let t = T0;
    return Array.from({ length: n }, (_, i) => {
      t += Math.floor(rnd() * 900);
      // Three in ten arrive out of order, up to 15 s behind: some within lateness, some late.
      const skew = rnd() < 0.3 ? Math.floor(rnd() * 15_000) : 0;
      return login(i, t - skew, `u${Math.floor(rnd() * 7)}`, rnd() < 0.5 ? 'US' : 'FR');
    });
  }

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('seed %i: every written document equals the crash-free run, none is written with two values', (seed) => {
    const records = stream(seed, 1500);
    const clean = runStream(records, spec, { commitEvery: 50, crashes: [], confirmLag: 3 });
    const rnd = seeded(seed * 31);
    const crashes = Array.from({ length: 25 }, () => Math.floor(rnd() * records.length));
    const crashed = runStream(records, spec, { commitEvery: 1 + Math.floor(rnd() * 40), crashes, confirmLag: 1 + Math.floor(rnd() * 20) });
    expect(clean.conflicting).toEqual([]);
    expect(crashed.conflicting).toEqual([]);
    // Windows closed by the end are the same set with the same values.
    expect(new Map([...crashed.docs].sort())).toEqual(new Map([...clean.docs].sort()));
    expect(crashed.writes).toBeGreaterThanOrEqual(clean.writes);
    // Every closed window holds exactly the records an independent reading of the rule gives:
    // on time unless its window ended at or before (highest event time so far - lateness);
    // a late one is counted on the window of the highest event time so far.
    const onTime = new Map<string, number>();
    const late = new Map<string, number>();
    let max = -Infinity;
    for (const r of records) {
      max = Math.max(max, r.eventTimeMs);
      const start = Math.floor(r.eventTimeMs / 10_000) * 10_000;
      const into = start + 10_000 <= max - spec.allowedLatenessMs ? late : onTime;
      const key = String(into === late ? Math.floor(max / 10_000) * 10_000 : start);
      into.set(key, (into.get(key) ?? 0) + 1);
    }
    const alls = [...clean.docs.values()].map((v) => JSON.parse(v) as AggregateDocument).filter((a) => a.dimension === 'all' && a.window.size_seconds === 10);
    expect(alls.length).toBeGreaterThan(50);
    for (const a of alls) {
      const key = String(Date.parse(a.window.start));
      expect([a.window.start, a.count, a.late_events]).toEqual([a.window.start, onTime.get(key) ?? 0, late.get(key) ?? 0]);
    }
    expect([...late.values()].reduce((x, y) => x + y, 0)).toBeGreaterThan(0);
  });
});

