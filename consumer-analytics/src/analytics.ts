import { Counter, Gauge, type Registry } from 'prom-client';
import {
  PartitionWindows,
  RuleSource,
  decodeCheckpoint,
  encodeCheckpoint,
  eventTimeMs,
  type ClosedWindow,
  type StreamSpec,
  type WindowInput,
} from '../../pipeline/analytics';
import { EVENT_ID_HEADER, coordinatesId, type SourceRecord } from '../../pipeline/core';
import { ClosedError } from '../../pipeline/errors';
import { KafkaSink, type BatchConsumer, type OutgoingRecord, type RecordSender, type TopicPartition } from '../../pipeline/kafka';
import type { Logger } from '../../pipeline/logger';

/** One input topic of the stage: a chain's processed topic or its dead-letter topic. */
export interface AnalyticsStream {
  readonly topic: string;
  readonly spec: StreamSpec;
  /** Where the windows' aggregates go (events only). */
  readonly aggregatesTopic: string;
  /** Field of the event time in the document; dead letters use their record's time. */
  readonly eventTimeField?: string;
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
}

interface WindowWrite {
  readonly state: PartitionState;
  readonly window: ClosedWindow;
  remaining: number;
  failed: boolean;
}

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
        this.set([...states.values()].reduce((n, s) => n + s.windows.openWindows, 0));
      },
    });
    new Gauge({
      name: 'streamdex_analytics_held_records',
      help: 'Records held by open or unconfirmed windows (the committed offset stays below them)',
      registers,
      collect() {
        this.set([...states.values()].reduce((n, s) => n + s.windows.heldRecords, 0));
      },
    });
    this.sink = new KafkaSink<WindowWrite>({
      producer: deps.producer,
      onAcked: (w) => {
        if (--w.remaining === 0) this.confirmed(w);
      },
      onRetry: (out, err, attempt, delay) => deps.logger.warn({ topic: out.topic, attempt, delay, err: err.message }, 'aggregate delivery failed, retrying'),
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
      const state = this.states.get(key(record.topic, record.partition));
      if (!state) {
        this.deps.logger.error({ topic: record.topic }, 'record from a topic no stream claims; left unacknowledged');
        continue;
      }
      const { spec } = state.stream;
      const input = this.inputOf(state.stream, record);
      if (!input) {
        // The raw index keeps the event; here it cannot be placed in time.
        this.records.inc({ chain: spec.chain, source: spec.source, outcome: 'unreadable' });
        this.deps.consumer.ack(record);
        continue;
      }
      const res = state.windows.add(input);
      this.records.inc({ chain: spec.chain, source: spec.source, outcome: res.lateSizes > 0 ? 'late' : 'windowed' });
      if (res.release) this.deps.consumer.ack(record);
      for (const window of res.closed) this.write(state, window);
    }
    this.checkHeld();
  };

  private checkHeld(): void {
    const { maxHeld } = this.deps;
    if (maxHeld === undefined || this.stallReported) return;
    const held = [...this.states.values()].reduce((n, s) => n + s.windows.heldRecords, 0);
    if (held < maxHeld) return;
    this.stallReported = true;
    this.deps.logger.error({ held, maxHeld }, 'open windows hold ANALYTICS_MAX_IN_FLIGHT records: no more input is taken, so they cannot close; raise it above rate x (longest window + lateness)');
  }

  /** Commit metadata of a partition at `offset`: what its restart must know. */
  readonly commitMetadata = (topic: string, partition: number, offset: number): string | undefined => {
    const state = this.states.get(key(topic, partition));
    return state ? encodeCheckpoint(state.windows.checkpoint(offset)) : undefined;
  };

  /** The partitions went to another member (or we are closing): their windows are rebuilt from the commit. */
  forget(partitions: readonly TopicPartition[]): void {
    for (const p of partitions) this.states.delete(key(p.topic, p.partition));
  }

  private async loadStates(records: readonly SourceRecord[]): Promise<void> {
    const missing = new Map<string, TopicPartition>();
    for (const r of records) {
      const k = key(r.topic, r.partition);
      if (!this.states.has(k) && this.streamOf(r.topic)) missing.set(k, { topic: r.topic, partition: r.partition });
    }
    if (missing.size === 0) return;
    const committed = await this.deps.consumer.committed([...missing.values()]);
    for (const p of missing.values()) {
      const c = committed.find((o) => o.topic === p.topic && o.partition === p.partition);
      const checkpoint = decodeCheckpoint(c?.metadata);
      const stream = this.streamOf(p.topic)!;
      this.states.set(key(p.topic, p.partition), { stream, windows: new PartitionWindows(stream.spec, p.partition, checkpoint) });
      this.deps.logger.info({ topic: p.topic, partition: p.partition, offset: c?.offset, checkpoint }, 'partition windows restored from the committed checkpoint');
    }
  }

  private streamOf(topic: string): AnalyticsStream | undefined {
    return this.deps.streams.find((s) => s.topic === topic);
  }

  private inputOf(stream: AnalyticsStream, record: SourceRecord): WindowInput | undefined {
    if (stream.spec.source === RuleSource.DEAD_LETTERS) {
      if (record.timestamp === undefined) return undefined;
      return { offset: record.offset, eventTimeMs: record.timestamp, eventId: coordinatesId(record), doc: {} };
    }
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

  private write(state: PartitionState, window: ClosedWindow): void {
    const { stream } = state;
    const outputs: OutgoingRecord[] = [
      ...window.aggregates.map((a) => output(stream.aggregatesTopic, a.aggregate_id, a)),
      ...window.alerts.map((a) => output(this.deps.alertsTopic, a.alert_id, a)),
    ];
    this.closedWindows.inc({ chain: stream.spec.chain, size: String(window.sizeMs / 1000) });
    for (const a of window.alerts) this.alerts.inc({ rule: a.rule });
    const w: WindowWrite = { state, window, remaining: outputs.length, failed: false };
    if (outputs.length === 0) return this.confirmed(w);
    for (const out of outputs) this.sink.send(out, w);
  }

  private confirmed(w: WindowWrite): void {
    const { topic } = w.state.stream;
    // A partition revoked meanwhile has a new state (or none): its records are re-read by their next owner.
    if (this.states.get(key(topic, w.state.windows.partition)) !== w.state) return;
    for (const offset of w.state.windows.confirm(w.window)) this.deps.consumer.ack({ topic, partition: w.state.windows.partition, offset });
  }
}

function output(topic: string, id: string, doc: object): OutgoingRecord {
  return { topic, key: id, value: Buffer.from(JSON.stringify(doc)), headers: [{ key: EVENT_ID_HEADER, value: Buffer.from(id) }] };
}

function key(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}
