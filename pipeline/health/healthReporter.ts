import { hostname } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Gauge, type Registry } from 'prom-client';
import { errorMessage } from '../errors';
import { KafkaSink, type BatchConsumer, type RecordSender } from '../kafka';
import { lastLoggedError, type Logger } from '../logger';
import { sampleHealth, type CounterTotals, type MetricJson } from './sampleHealth';
import type { HealthRecord } from './types';

export interface HealthReporterOptions {
  readonly service: string;
  /** The health topic, namespace included. */
  readonly topic: string;
  /** 0: no timer (sampleOnce still works). */
  readonly intervalMs: number;
  readonly registry: Registry;
  readonly producer: RecordSender;
  readonly logger: Logger;
  /** The service's group consumer, for lag and in-flight records; absent for the producer. */
  readonly consumer?: Pick<BatchConsumer, 'lag' | 'inFlight' | 'groupId'>;
  readonly now?: () => number;
}

/**
 * Samples the service's health every `intervalMs` and produces it to the health topic
 * through the one Kafka sink: the process, its own counters and histograms as increases,
 * and the consumer lag of its partitions, which it also exports as the
 * streamdex_consumer_lag_records gauge on /metrics. Best effort: a sample that cannot be
 * delivered is logged and dropped, never a reason to stop the service.
 */
export class HealthReporter {
  readonly instance = `${hostname()}-${process.pid}`;
  private readonly sink: KafkaSink<null>;
  private readonly loopDelay = monitorEventLoopDelay({ resolution: 20 });
  private readonly lagGauge: Gauge<'group' | 'topic' | 'partition'> | undefined;
  private readonly now: () => number;
  private totals: CounterTotals = new Map();
  private sinceMs: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;

  constructor(private readonly o: HealthReporterOptions) {
    this.now = o.now ?? Date.now;
    this.sinceMs = this.now();
    this.sink = new KafkaSink<null>({
      producer: o.producer,
      onAcked: () => undefined,
      onFailed: (out, err) => o.logger.warn({ topic: out.topic, err: err.message }, 'health sample not delivered; dropped'),
      maxMs: 5_000,
      maxAttempts: 3,
    });
    const consumer = o.consumer;
    if (consumer) {
      this.lagGauge = new Gauge({
        name: 'streamdex_consumer_lag_records',
        help: "Records of each assigned partition not yet committed by the service's group: high watermark minus committed offset (at the last health sample)",
        labelNames: ['group', 'topic', 'partition'],
        registers: [o.registry],
      });
      new Gauge({
        name: 'streamdex_consumer_in_flight_records',
        help: 'Records taken from Kafka and not yet finished (indexed, produced or dead-lettered)',
        registers: [o.registry],
        collect() {
          this.set(consumer.inFlight);
        },
      });
    }
    this.loopDelay.enable();
  }

  start(): void {
    if (this.o.intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => {
      if (!this.running) this.running = this.sampleOnce().finally(() => (this.running = undefined));
    }, this.o.intervalMs);
    this.timer.unref();
  }

  /** Takes one sample, sends it and returns its records. */
  async sampleOnce(): Promise<HealthRecord[]> {
    const lag = await this.lag();
    const nowMs = this.now();
    const memory = process.memoryUsage();
    const error = lastLoggedError(this.o.logger);
    const inFlight = this.o.consumer?.inFlight;
    const { records, totals } = sampleHealth({
      service: this.o.service,
      instance: this.instance,
      nowMs,
      sinceMs: this.sinceMs,
      metrics: (await this.o.registry.getMetricsAsJSON()) as unknown as MetricJson[],
      previous: this.totals,
      process: {
        uptime_s: Math.round(process.uptime()),
        rss_bytes: memory.rss,
        heap_used_bytes: memory.heapUsed,
        heap_total_bytes: memory.heapTotal,
        event_loop_delay_p99_ms: Math.round(this.loopDelay.percentile(99) / 1e3) / 1e3,
        event_loop_delay_max_ms: Math.round(this.loopDelay.max / 1e3) / 1e3,
        ...(inFlight !== undefined ? { in_flight: inFlight } : {}),
        ...(error ? { last_error: error.message, last_error_at: new Date(error.atMs).toISOString() } : {}),
      },
      lag,
    });
    this.loopDelay.reset();
    this.totals = totals;
    this.sinceMs = nowMs;
    if (!this.stopped) {
      const key = Buffer.from(this.instance);
      for (const r of records) this.sink.send({ topic: this.o.topic, key, value: Buffer.from(JSON.stringify(r)) }, null);
    }
    return records;
  }

  /** Stops the timer and waits for a sample under way; a last sample is not taken. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.loopDelay.disable();
    await this.running;
  }

  private async lag(): Promise<Array<{ group: string; topic: string; partition: number; committed_offset: number; high_watermark: number; lag: number }>> {
    const consumer = this.o.consumer;
    if (!consumer) return [];
    try {
      const lag = (await consumer.lag()).map((p) => ({
        group: consumer.groupId,
        topic: p.topic,
        partition: p.partition,
        committed_offset: p.committed,
        high_watermark: p.highWatermark,
        lag: p.lag,
      }));
      this.lagGauge!.reset();
      for (const p of lag) this.lagGauge!.set({ group: p.group, topic: p.topic, partition: String(p.partition) }, p.lag);
      return lag;
    } catch (err) {
      this.o.logger.debug({ err: errorMessage(err) }, 'consumer lag not available for this sample');
      return [];
    }
  }
}
