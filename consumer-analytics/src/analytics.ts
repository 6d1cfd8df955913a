import { Counter, Gauge, type Registry } from 'prom-client';
import {
  PartitionWindows,
  decodeCheckpoint,
  encodeCheckpoint,
  eventTimeMs,
  type ClosedWindow,
  type PartitionCheckpoint,
  type StreamSpec,
  type WindowInput,
} from '../../pipeline/analytics';
import { EVENT_ID_HEADER, coordinatesId, type SourceRecord } from '../../pipeline/core';
import { ClosedError } from '../../pipeline/errors';
import { KafkaSink, type BatchConsumer, type OutgoingRecord, type RecordSender, type TopicPartition } from '../../pipeline/kafka';
import type { Logger } from '../../pipeline/logger';
import { RetryReport } from '../../pipeline/retry';

/**
 * A chain's inputs to the stage: its processed topic (event-time windows) and, for the share
 * rules, its dead-letter topic beside it (record-time windows over both, partition i with
 * partition i).
 */
export interface AnalyticsStream {
  readonly topic: string;
  readonly spec: StreamSpec;
  /** Where the windows' aggregates go (events only). */
  readonly aggregatesTopic: string;
  /** Field of the event time in the document. */
  readonly eventTimeField?: string;
  readonly deadLetterTopic?: string;
  /** The record-time windows over dead letters and processed records (share rules). */
  readonly shareSpec?: StreamSpec;
}

export interface AnalyticsDeps {
  readonly consumer: Pick<BatchConsumer, 'ack' | 'committed'>;
  readonly producer: RecordSender;
  readonly streams: readonly AnalyticsStream[];
  readonly alertsTopic: string;
  readonly logger: Logger;
  readonly registry: Registry;
  readonly onFatal: (err: Error) => void;
  /**
   * The consumer's maxInFlight. Held records count as in flight, so at this many the
   * consumer takes no more input and no window can close: a stall, reported (once) here.
   */
  readonly maxHeld?: number;
}

interface PartitionState {
  readonly stream: AnalyticsStream;
  readonly windows: PartitionWindows;
  /** Record-time windows over partition i of the processed and the dead-letter topic. */
  readonly share?: PartitionWindows;
  /** Processed offsets held by both the event-time and the record-time windows: how many still hold each. */
  readonly holds: Map<number, number>;
}

interface WindowWrite {
  readonly state: PartitionState;
  readonly window: ClosedWindow;
  readonly share: boolean;
  remaining: number;
  failed: boolean;
}

/**
 * The record-time windows see both topics of a partition pair in one offset space: a
 * processed offset o as 2o, a dead letter's as 2o + 1, so their holds never collide and the
 * processed offsets keep their order (the watermark's base is read at them).
 */
const sharedOffset = (offset: number, deadLetter: boolean) => 2 * offset + (deadLetter ? 1 : 0);

/**
 * Kafka -> windows -> Kafka. Per partition of every input topic, a PartitionWindows built
 * from the checkpoint in the group's committed metadata; a closed window's aggregates and
 * alerts go out through the sink, and only when the broker confirmed all of them are its
 * records acknowledged, so the consumer commits below the first record of any open window.
 */
export class Analytics {
  private readonly states = new Map<string, PartitionState>();
  private readonly sink: KafkaSink<WindowWrite>;
  private readonly records: Counter<'chain' | 'source' | 'outcome'>;
  private readonly closedWindows: Counter<'chain' | 'size'>;
  private readonly alerts: Counter<'rule'>;
  private stallReported = false;

  constructor(private readonly deps: AnalyticsDeps) {
    const registers = [deps.registry];
    this.records = new Counter({
      name: 'streamdex_analytics_records_total',
      help: 'Input records by chain, source (events, dead_letters) and outcome (windowed, late, unreadable)',
      labelNames: ['chain', 'source', 'outcome'],
      registers,
    });
    this.closedWindows = new Counter({ name: 'streamdex_analytics_windows_closed_total', help: 'Windows closed and written, by chain and size', labelNames: ['chain', 'size'], registers });
    this.alerts = new Counter({ name: 'streamdex_analytics_alerts_total', help: 'Alerts written, by rule (a replay writes the same alert again)', labelNames: ['rule'], registers });
    const states = this.states;
    new Gauge({
      name: 'streamdex_analytics_open_windows',
      help: 'Windows open over all owned partitions',
      registers,
      collect() {
        this.set([...states.values()].reduce((n, s) => n + s.windows.openWindows + (s.share?.openWindows ?? 0), 0));
      },
    });
    new Gauge({
      name: 'streamdex_analytics_held_records',
      help: 'Records held by open or unconfirmed windows (the committed offset stays below them)',
      registers,
      collect() {
        this.set([...states.values()].reduce((n, s) => n + s.windows.heldRecords + (s.share?.heldRecords ?? 0), 0));
      },
    });
    // One warning per topic and cause every 10 s, with the count held back: not one per record.
    const retries = new RetryReport();
    this.sink = new KafkaSink<WindowWrite>({
      producer: deps.producer,
      onAcked: (w) => {
        if (--w.remaining === 0) this.confirmed(w);
      },
      onRetry: (out, err, attempt, delay) => {
        const heldBack = retries.take(`${out.topic}\u0000${err.message}`);
        if (heldBack !== undefined) deps.logger.warn({ topic: out.topic, attempt, delay, err: err.message, heldBack }, 'aggregate delivery failed, retrying');
      },
      onFailed: (out, err, w) => {
        if (w.failed) return;
        w.failed = true;
        if (err instanceof ClosedError) deps.logger.warn({ topic: out.topic }, 'window not written before close; it is rebuilt from Kafka after the restart');
        else deps.onFatal(new Error(`window output to ${out.topic} refused for good, stopping with its records uncommitted: ${err.message}`, { cause: err }));
      },
    });
  }

  readonly handle = async (records: SourceRecord[]): Promise<void> => {
    await this.loadStates(records);
    for (const record of records) {
      const stream = this.streamOf(record.topic);
      const state = stream && this.states.get(key(stream.topic, record.partition));
      if (!stream || !state) {
        this.deps.logger.error({ topic: record.topic }, 'record from a topic no stream claims; left unacknowledged');
        continue;
      }
      if (record.topic === stream.topic) this.addEvent(state, record);
      else this.addDeadLetter(state, record);
    }
    this.checkHeld();
  };

  private addEvent(state: PartitionState, record: SourceRecord): void {
    const { spec } = state.stream;
    let holders = 0;
    const input = this.inputOf(state.stream, record);
    if (!input) {
      // The raw index keeps the event; here it cannot be placed in event time.
      this.records.inc({ chain: spec.chain, source: spec.source, outcome: 'unreadable' });
    } else {
      const res = state.windows.add(input);
      this.records.inc({ chain: spec.chain, source: spec.source, outcome: res.lateSizes > 0 ? 'late' : 'windowed' });
      if (!res.release) holders++;
      for (const window of res.closed) this.write(state, window, false);
    }
    if (state.share && record.timestamp !== undefined) {
      // Still traffic in record time when its event time is unreadable: the share's denominator.
      const res = state.share.add({ offset: sharedOffset(record.offset, false), eventTimeMs: record.timestamp, eventId: input?.eventId ?? coordinatesId(record), doc: {} });
      if (!res.release) holders++;
      for (const window of res.closed) this.write(state, window, true);
    }
    if (holders === 0) this.deps.consumer.ack(record);
    else state.holds.set(record.offset, holders);
  }

  private addDeadLetter(state: PartitionState, record: SourceRecord): void {
    const spec = state.stream.shareSpec!;
    if (record.timestamp === undefined) {
      this.records.inc({ chain: spec.chain, source: spec.source, outcome: 'unreadable' });
      this.deps.consumer.ack(record);
      return;
    }
    const res = state.share!.add({ offset: sharedOffset(record.offset, true), eventTimeMs: record.timestamp, eventId: coordinatesId(record), doc: {}, deadLetter: true });
    this.records.inc({ chain: spec.chain, source: spec.source, outcome: res.lateSizes > 0 ? 'late' : 'windowed' });
    if (res.release) this.deps.consumer.ack(record);
    for (const window of res.closed) this.write(state, window, true);
  }

  /** One of the (up to two) window sets holding a processed record let it go. */
  private releaseEvent(state: PartitionState, offset: number): void {
    const n = (state.holds.get(offset) ?? 1) - 1;
    if (n > 0) return void state.holds.set(offset, n);
    state.holds.delete(offset);
    this.deps.consumer.ack({ topic: state.stream.topic, partition: state.windows.partition, offset });
  }

  private checkHeld(): void {
    const { maxHeld } = this.deps;
    if (maxHeld === undefined || this.stallReported) return;
    const held = [...this.states.values()].reduce((n, s) => n + s.windows.heldRecords + (s.share?.heldRecords ?? 0), 0);
    if (held < maxHeld) return;
    this.stallReported = true;
    this.deps.logger.error({ held, maxHeld }, 'open windows hold ANALYTICS_MAX_IN_FLIGHT records: no more input is taken, so they cannot close; raise it above the number of open windows');
  }

  /**
   * Nothing written is still unconfirmed: what remains in flight is held by open windows,
   * which close only with more input, so a drain (close, revocation) need not wait for it.
   */
  readonly settled = (): boolean => this.sink.pending === 0;

  /** Commit metadata of a partition at `offset`: what its restart must know. */
  readonly commitMetadata = (topic: string, partition: number, offset: number): string | undefined => {
    const stream = this.streamOf(topic);
    const state = stream && this.states.get(key(stream.topic, partition));
    if (!state) return undefined;
    if (topic === stream.topic) {
      const c = state.windows.checkpoint(offset);
      return encodeCheckpoint(state.share ? { ...c, recordTime: state.share.checkpoint(sharedOffset(offset, false)) } : c);
    }
    // The dead-letter partition's commit: which record-time windows are written, nothing else.
    return encodeCheckpoint({ maxEventTimeMs: null, closedThrough: {}, recordTime: { maxEventTimeMs: null, closedThrough: state.share?.closedThroughs() ?? {} } });
  };

  /** The partitions went to another member (or we are closing): their windows are rebuilt from the commit. */
  forget(partitions: readonly TopicPartition[]): void {
    for (const p of partitions) {
      const stream = this.streamOf(p.topic);
      if (stream) this.states.delete(key(stream.topic, p.partition));
    }
  }

  private async loadStates(records: readonly SourceRecord[]): Promise<void> {
    const missing = new Map<string, { stream: AnalyticsStream; partition: number }>();
    for (const r of records) {
      const stream = this.streamOf(r.topic);
      if (!stream) continue;
      const k = key(stream.topic, r.partition);
      if (!this.states.has(k)) missing.set(k, { stream, partition: r.partition });
    }
    if (missing.size === 0) return;
    const wanted = [...missing.values()].flatMap(({ stream, partition }) => [
      { topic: stream.topic, partition },
      ...(stream.deadLetterTopic ? [{ topic: stream.deadLetterTopic, partition }] : []),
    ]);
    const committed = await this.deps.consumer.committed(wanted);
    const at = (topic: string | undefined, partition: number) => committed.find((o) => o.topic === topic && o.partition === partition);
    for (const { stream, partition } of missing.values()) {
      const c = at(stream.topic, partition);
      const checkpoint = decodeCheckpoint(c?.metadata);
      const share = stream.shareSpec && new PartitionWindows(stream.shareSpec, partition, recordTimeCheckpoint(checkpoint, decodeCheckpoint(at(stream.deadLetterTopic, partition)?.metadata)));
      this.states.set(key(stream.topic, partition), { stream, windows: new PartitionWindows(stream.spec, partition, checkpoint), ...(share ? { share } : {}), holds: new Map() });
      this.deps.logger.info({ topic: stream.topic, partition, offset: c?.offset, checkpoint }, 'partition windows restored from the committed checkpoint');
    }
  }

  private streamOf(topic: string): AnalyticsStream | undefined {
    return this.deps.streams.find((s) => s.topic === topic || s.deadLetterTopic === topic);
  }

  private inputOf(stream: AnalyticsStream, record: SourceRecord): WindowInput | undefined {
    if (!record.value) return undefined;
    let doc: unknown;
    try {
      doc = JSON.parse(record.value.toString('utf8'));
    } catch {
      return undefined;
    }
    if (doc === null || typeof doc !== 'object') return undefined;
    const t = eventTimeMs(doc, stream.eventTimeField ?? 'event_time');
    if (t === undefined) return undefined;
    const header = record.headers.find((h) => h.key === EVENT_ID_HEADER)?.value.toString('utf8');
    const eventId = header ?? (typeof (doc as { event_id?: unknown }).event_id === 'string' ? (doc as { event_id: string }).event_id : coordinatesId(record));
    return { offset: record.offset, eventTimeMs: t, eventId, doc: doc as Record<string, unknown> };
  }

  private write(state: PartitionState, window: ClosedWindow, share: boolean): void {
    const { stream } = state;
    const outputs: OutgoingRecord[] = [
      ...window.aggregates.map((a) => output(stream.aggregatesTopic, a.aggregate_id, a)),
      ...window.alerts.map((a) => output(this.deps.alertsTopic, a.alert_id, a)),
    ];
    this.closedWindows.inc({ chain: stream.spec.chain, size: String(window.sizeMs / 1000) });
    for (const a of window.alerts) this.alerts.inc({ rule: a.rule });
    const w: WindowWrite = { state, window, share, remaining: outputs.length, failed: false };
    if (outputs.length === 0) return this.confirmed(w);
    for (const out of outputs) this.sink.send(out, w);
  }

  private confirmed(w: WindowWrite): void {
    const { state } = w;
    const { topic, deadLetterTopic } = state.stream;
    const { partition } = state.windows;
    // A partition revoked meanwhile has a new state (or none): its records are re-read by their next owner.
    if (this.states.get(key(topic, partition)) !== state) return;
    if (!w.share) {
      for (const offset of state.windows.confirm(w.window)) this.releaseEvent(state, offset);
      return;
    }
    for (const shared of state.share!.confirm(w.window)) {
      if (shared % 2 === 0) this.releaseEvent(state, shared / 2);
      else this.deps.consumer.ack({ topic: deadLetterTopic!, partition, offset: (shared - 1) / 2 });
    }
  }
}

/**
 * The record-time windows' checkpoint: the watermark's base from the processed partition's
 * commit (its offsets drive it), and per size the later of the two commits' closed windows.
 * The two partitions commit apart, so one may not carry a window the other already does; the
 * window is written and confirmed all the same, and rebuilding it from the part of it that
 * one partition replays would write it again short.
 */
function recordTimeCheckpoint(events: PartitionCheckpoint | undefined, deadLetters: PartitionCheckpoint | undefined): PartitionCheckpoint | undefined {
  const a = events?.recordTime;
  const b = deadLetters?.recordTime;
  if (!a && !b) return undefined;
  const closedThrough: Record<string, number> = { ...a?.closedThrough };
  for (const [size, end] of Object.entries(b?.closedThrough ?? {})) closedThrough[size] = Math.max(end, closedThrough[size] ?? Number.NEGATIVE_INFINITY);
  return { maxEventTimeMs: a?.maxEventTimeMs ?? null, closedThrough };
}

function output(topic: string, id: string, doc: object): OutgoingRecord {
  return { topic, key: id, value: Buffer.from(JSON.stringify(doc)), headers: [{ key: EVENT_ID_HEADER, value: Buffer.from(id) }] };
}

function key(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}
