import { dimensionValue, fieldAt } from './fieldPath';
import { aggregateId, alertId, windowStart } from './ids';
import { RuleState } from './ruleState';
import type { AggregateDocument, AlertDocument, ClosedWindow, PartitionCheckpoint, StreamSpec, WindowFields, WindowInput } from './types';

interface Group {
  count: number;
  users: Set<string>;
  sum: Record<string, number>;
}

interface SizeState {
  readonly sizeMs: number;
  readonly aggregates: boolean;
  readonly rules: readonly RuleState['rule'][];
  readonly open: Map<number, Window>;
  /** Windows closed and written, in closing (= end) order, waiting for confirmation. */
  readonly closing: Array<{ end: number; confirmed: boolean }>;
  /** Windows ending at or before this are written and confirmed (or were, before a restart). */
  closedThrough: number;
}

class Window {
  readonly offsets: number[] = [];
  readonly groups = new Map<string, Group>();
  readonly rules: RuleState[];
  late = 0;
  constructor(
    readonly size: SizeState,
    readonly startMs: number,
    chain: string,
    partition: number,
  ) {
    this.rules = size.rules.map((r) => new RuleState(r, chain, `p${partition}`));
  }
  get endMs(): number {
    return this.startMs + this.size.sizeMs;
  }
}

export interface AddResult {
  /** Windows the watermark closed with this record; write them, then `confirm` each. */
  readonly closed: ClosedWindow[];
  /** Window sizes for which this record came after its window had closed. */
  readonly lateSizes: number;
  /** Nothing open holds this record: it may be acknowledged at once. */
  readonly release: boolean;
}

/**
 * The event-time windows of one partition: tumbling windows per size, closed by a watermark
 * (highest event time seen minus the allowed lateness). Pure: no clock, no I/O, so every
 * rule about lateness, closing and replay is unit tested.
 *
 * Exact under crashes: each window holds its first record (its lowest offset), released
 * (its offset may be committed past) only when the window is written and confirmed; the
 * consumer commits below the lowest unreleased offset, so the committed offset is never past
 * any record of an open or unconfirmed window, and a restart rebuilds each open window from
 * Kafka. The checkpoint kept in the commit's metadata says which windows are already written
 * (`closedThrough`), so the replay never writes a closed window again from the part of it
 * that is replayed. That alone keeps every written value exact: a record below the commit
 * lies after no held first record, so all its windows are confirmed and lie at or below `closedThrough`, and
 * whatever it did to the watermark only decides about windows the replay skips. The
 * checkpoint also carries the highest event time below the commit so that the watermark
 * (and its gauge) resumes where it was instead of starting over.
 */
export class PartitionWindows {
  private readonly sizes: SizeState[];
  private readonly refs = new Map<number, number>();
  private maxEventTimeMs: number | null;
  /** (offset, running max) wherever the highest event time rose; gives the max below any commit offset. */
  private rises: Array<{ offset: number; max: number }> = [];
  private baseMax: number | null;

  constructor(
    private readonly spec: StreamSpec,
    readonly partition: number,
    checkpoint?: PartitionCheckpoint,
  ) {
    const sizes = new Set<number>([...spec.aggregateSizesMs, ...spec.rules.map((r) => r.windowMs)]);
    this.sizes = [...sizes]
      .sort((a, b) => a - b)
      .map((sizeMs) => ({
        sizeMs,
        aggregates: spec.aggregateSizesMs.includes(sizeMs),
        rules: spec.rules.filter((r) => r.windowMs === sizeMs),
        open: new Map(),
        closing: [],
        closedThrough: checkpoint?.closedThrough[String(sizeMs)] ?? Number.NEGATIVE_INFINITY,
      }));
    this.maxEventTimeMs = checkpoint?.maxEventTimeMs ?? null;
    this.baseMax = this.maxEventTimeMs;
  }

  get watermarkMs(): number | null {
    return this.maxEventTimeMs === null ? null : this.maxEventTimeMs - this.spec.allowedLatenessMs;
  }

  get openWindows(): number {
    return this.sizes.reduce((n, s) => n + s.open.size, 0);
  }

  /** Records held by open or unconfirmed windows. */
  get heldRecords(): number {
    return this.refs.size;
  }

  add(input: WindowInput): AddResult {
    const t = input.eventTimeMs;
    if (!input.deadLetter && (this.maxEventTimeMs === null || t > this.maxEventTimeMs)) {
      this.maxEventTimeMs = t;
      this.rises.push({ offset: input.offset, max: t });
    }
    const wm = this.maxEventTimeMs === null ? Number.NEGATIVE_INFINITY : this.maxEventTimeMs - this.spec.allowedLatenessMs;
    const closed = this.closeUpTo(wm);
    let held = 0;
    let lateSizes = 0;
    for (const size of this.sizes) {
      const start = windowStart(t, size.sizeMs);
      if (start + size.sizeMs <= wm) {
        lateSizes++;
        if (size.aggregates && this.attachLate(size, input.offset)) held++;
        continue;
      }
      // Written and confirmed before a restart: this record is in it already.
      if (start + size.sizeMs <= size.closedThrough) continue;
      const w = this.windowAt(size, start);
      if (this.hold(w, input.offset)) held++;
      if (size.aggregates) this.count(w, input);
      for (const r of w.rules) r.add(input);
    }
    if (held > 0) this.refs.set(input.offset, (this.refs.get(input.offset) ?? 0) + held);
    return { closed, lateSizes, release: held === 0 };
  }

  /**
   * The closed window is written and the broker confirmed it: returns the offsets no open
   * window holds any more, to acknowledge.
   */
  confirm(window: ClosedWindow): number[] {
    const size = this.sizes.find((s) => s.sizeMs === window.sizeMs)!;
    const entry = size.closing.find((c) => c.end === window.startMs + window.sizeMs && !c.confirmed);
    if (!entry) return [];
    entry.confirmed = true;
    while (size.closing.length > 0 && size.closing[0]!.confirmed) size.closedThrough = size.closing.shift()!.end;
    const released: number[] = [];
    for (const o of (window as ClosedWindowWithOffsets)[OFFSETS]) {
      const n = (this.refs.get(o) ?? 0) - 1;
      if (n <= 0) {
        this.refs.delete(o);
        released.push(o);
      } else this.refs.set(o, n);
    }
    return released;
  }

  /** What the commit of `offset` (the next offset to read) carries in its metadata. */
  checkpoint(offset: number): PartitionCheckpoint {
    let i = -1;
    while (i + 1 < this.rises.length && this.rises[i + 1]!.offset < offset) i++;
    const maxBelow = i >= 0 ? this.rises[i]!.max : this.baseMax;
    if (i > 0) {
      // Commits only move forward: rises below this one are never asked for again.
      this.rises = this.rises.slice(i);
    }
    return { maxEventTimeMs: maxBelow, closedThrough: this.closedThroughs() };
  }

  /** Per window size, windows written and confirmed through (what a paired partition's commit carries). */
  closedThroughs(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const s of this.sizes) if (Number.isFinite(s.closedThrough)) out[String(s.sizeMs)] = s.closedThrough;
    return out;
  }

  private attachLate(size: SizeState, offset: number): boolean {
    // The newest window carries the count: it is open (it holds the highest event time), and
    // a replay computes the same highest event time at this record, so it picks the same one.
    const start = windowStart(this.maxEventTimeMs!, size.sizeMs);
    if (start + size.sizeMs <= size.closedThrough) return false;
    const w = this.windowAt(size, start);
    w.late++;
    return this.hold(w, offset);
  }

  /**
   * A window holds only its first record, the lowest offset it has (records come in offset
   * order): the committed offset stops at the lowest unacknowledged one, so that record alone
   * keeps the commit at or below every record of the window, and the others are released at
   * once. In flight stays one record per open window instead of every record of it.
   */
  private hold(w: Window, offset: number): boolean {
    if (w.offsets.length > 0) return false;
    w.offsets.push(offset);
    return true;
  }

  private windowAt(size: SizeState, start: number): Window {
    let w = size.open.get(start);
    if (!w) {
      w = new Window(size, start, this.spec.chain, this.partition);
      size.open.set(start, w);
    }
    return w;
  }

  private count(w: Window, input: WindowInput): void {
    const { spec } = this;
    const user = fieldAt(input.doc, spec.userField);
    const sums: Array<[string, number]> = [];
    for (const [name, path] of Object.entries(spec.sums)) {
      const v = fieldAt(input.doc, path);
      if (typeof v === 'number' && Number.isFinite(v)) sums.push([name, v]);
    }
    const bump = (dimension: string, value: string) => {
      const k = `${dimension}\u0000${value}`;
      let g = w.groups.get(k);
      if (!g) {
        g = { count: 0, users: new Set(), sum: {} };
        w.groups.set(k, g);
      }
      g.count++;
      if (typeof user === 'string' || typeof user === 'number') g.users.add(String(user));
      for (const [name, v] of sums) g.sum[name] = (g.sum[name] ?? 0) + v;
    };
    bump('all', 'all');
    for (const [dimension, path] of Object.entries(spec.dimensions)) bump(dimension, dimensionValue(input.doc, path));
  }

  private closeUpTo(wm: number): ClosedWindow[] {
    const out: ClosedWindow[] = [];
    for (const size of this.sizes) {
      const due = [...size.open.keys()].filter((start) => start + size.sizeMs <= wm).sort((a, b) => a - b);
      for (const start of due) {
        const w = size.open.get(start)!;
        size.open.delete(start);
        size.closing.push({ end: w.endMs, confirmed: false });
        out.push(this.emit(w));
      }
    }
    return out;
  }

  private emit(w: Window): ClosedWindow {
    const { chain } = this.spec;
    const { sizeMs } = w.size;
    const window: WindowFields = { size_seconds: sizeMs / 1000, start: new Date(w.startMs).toISOString(), end: new Date(w.endMs).toISOString() };
    const aggregates: AggregateDocument[] = [];
    if (w.size.aggregates) {
      if (!w.groups.has('all\u0000all')) w.groups.set('all\u0000all', { count: 0, users: new Set(), sum: {} });
      for (const [k, g] of [...w.groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        const [dimension, value] = k.split('\u0000') as [string, string];
        aggregates.push({
          aggregate_id: aggregateId(chain, sizeMs, w.startMs, dimension, value, this.partition),
          chain,
          partition: this.partition,
          window,
          dimension,
          value,
          count: g.count,
          users: g.users.size,
          sum: g.sum,
          ...(dimension === 'all' ? { late_events: w.late } : {}),
        });
      }
    }
    const alerts: AlertDocument[] = w.rules.flatMap((r) =>
      r.alerts((key, evidence) => ({
        alert_id: alertId(r.rule.id, chain, key, sizeMs, w.startMs),
        rule: r.rule.id,
        chain,
        key,
        partition: this.partition,
        window,
        threshold: r.rule.threshold,
        evidence,
      })),
    );
    const closed: ClosedWindowWithOffsets = { sizeMs, startMs: w.startMs, aggregates, alerts, [OFFSETS]: w.offsets };
    return closed;
  }
}

const OFFSETS = Symbol('offsets');
type ClosedWindowWithOffsets = ClosedWindow & { readonly [OFFSETS]: readonly number[] };
