import { PartitionWindows, RuleSource, decodeCheckpoint, encodeCheckpoint, type ClosedWindow, type StreamSpec, type WindowInput } from '../../../pipeline/analytics';

export const spec: StreamSpec = {
  chain: 'login',
  source: RuleSource.EVENTS,
  aggregateSizesMs: [10_000, 60_000],
  allowedLatenessMs: 5_000,
  userField: 'user_id',
  dimensions: { country: 'geo.country', outdated: 'app.outdated' },
  sums: { n: 'n' },
  rules: [],
};

export function login(offset: number, eventTimeMs: number, user: string, country = 'US', extra: Record<string, unknown> = {}): WindowInput {
  return { offset, eventTimeMs, eventId: `e${offset}`, doc: { user_id: user, geo: { country }, app: { outdated: offset % 2 === 0 }, n: 1, ...extra } };
}

/** A seeded generator (mulberry32), so a failing random stream can be repeated. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface RunOptions {
  /** Commit every this many records. */
  readonly commitEvery: number;
  /** Indices (into the input) after which the stage is killed and restarted from its last commit. */
  readonly crashes: readonly number[];
  /** Closed windows are confirmed this many records after they closed (the broker's delay). */
  readonly confirmLag: number;
}

export interface RunResult {
  /** Last written value per document id (what an index with id = document id holds). */
  readonly docs: Map<string, string>;
  /** Ids written twice with different values: a partial window written over a full one. */
  readonly conflicting: string[];
  readonly writes: number;
}

/**
 * Drives one partition like the service does: records in offset order, closed windows
 * confirmed after a lag, commits of the first unreleased offset with the checkpoint as
 * metadata, and crashes that lose everything not committed.
 */
export function runStream(records: readonly WindowInput[], spec: StreamSpec, o: RunOptions): RunResult {
  const docs = new Map<string, string>();
  const conflicting: string[] = [];
  let writes = 0;
  let committed = { offset: 0, metadata: undefined as string | undefined };
  let crashes = [...o.crashes].sort((a, b) => a - b);
  let i = 0;
  while (i < records.length) {
    const w = new PartitionWindows(spec, 0, decodeCheckpoint(committed.metadata));
    const released = new Set<number>();
    const pending: Array<{ due: number; window: ClosedWindow }> = [];
    const write = (c: ClosedWindow) => {
      for (const d of [...c.aggregates.map((a) => [a.aggregate_id, a] as const), ...c.alerts.map((a) => [a.alert_id, a] as const)]) {
        const v = JSON.stringify(d[1]);
        const before = docs.get(d[0]);
        if (before !== undefined && before !== v) conflicting.push(d[0]);
        docs.set(d[0], v);
        writes++;
      }
    };
    i = committed.offset;
    let step = 0;
    let crashed = false;
    for (; i < records.length; i++, step++) {
      const r = records[i]!;
      const res = w.add(r);
      if (res.release) released.add(r.offset);
      for (const c of res.closed) pending.push({ due: step + o.confirmLag, window: c });
      for (const p of pending.filter((p) => p.due <= step)) {
        write(p.window);
        for (const off of w.confirm(p.window)) released.add(off);
      }
      pending.splice(0, pending.length, ...pending.filter((p) => p.due > step));
      if (step % o.commitEvery === o.commitEvery - 1) {
        let next = committed.offset;
        while (released.has(next)) next++;
        committed = { offset: next, metadata: encodeCheckpoint(w.checkpoint(next)) };
      }
      if (crashes[0] === i) {
        crashes = crashes.slice(1);
        crashed = true;
        i++;
        break;
      }
    }
    if (!crashed) {
      // The end of the stream: the broker confirms what is still in flight.
      for (const p of pending) write(p.window);
      break;
    }
  }
  return { docs, conflicting, writes };
}
