import { Faker, en } from '@faker-js/faker';
import type { GeneratedRecord, GenerationFacet } from './chains';
import type { KafkaProducer } from '../../pipeline/kafka';
import { corrupt, malformedKinds } from './malformed';

export interface RunOptions {
  readonly rate: number;
  readonly pace: 'rate' | 'realtime';
  readonly speed: number;
  readonly count?: number | undefined;
  readonly durationMs?: number | undefined;
  readonly seed: number;
  readonly malformedRatio: number;
  readonly progressMs: number;
}

export interface ProducerStats {
  /** Records handed to Kafka. */
  sent: number;
  /** Acknowledged by the broker, split by valid / malformed kind. */
  acked: { valid: number; malformed: Record<string, number> };
  /** Delivery failures (not in Kafka). */
  failed: number;
  elapsedMs: number;
}

export interface RunDeps {
  readonly producer: Pick<KafkaProducer, 'sendWithCallback' | 'pending' | 'pendingBelow' | 'flush'>;
  readonly chain: GenerationFacet;
  readonly source: AsyncIterable<GeneratedRecord>;
  readonly signal: AbortSignal;
  readonly progress: (stats: ProducerStats, ratePerSec: number) => void;
  /** Malformed records are only mixed into generated data, never into a replay. */
  readonly mixMalformed: boolean;
  /** The wall clock; tests give a fake one. */
  readonly clock?: ProducerClock;
  /** Each record's delivery: `kind` is valid or the malformed kind; for metrics. */
  readonly onDelivered?: (kind: string, ok: boolean) => void;
  /** Records never to corrupt (injected anomalies), and who hears of each acknowledged record. */
  readonly intact?: (record: GeneratedRecord) => boolean;
  readonly onAcked?: (record: GeneratedRecord) => void;
}

export interface ProducerClock {
  now(): number;
  /** Resolves at time t, or at once when the signal aborts. */
  sleepUntil(t: number, signal: AbortSignal): Promise<void>;
}

/**
 * Records sent and not yet acknowledged before generation waits: a few full batches per
 * partition (batch.size 1 MB is ~3,800 logins), so librdkafka never runs dry, while the
 * records waiting with their Buffers and callbacks stay few (docs/benchmark.md, memory).
 */
const MAX_PENDING = 20_000;

const wallClock: ProducerClock = { now: () => Date.now(), sleepUntil };

/**
 * Sends records at the requested pace and counts what the broker acknowledged, per kind,
 * so tests and the fault suite know exactly how many valid and broken events exist.
 * Never sends an event before its own time: a simulation that started in the past
 * (a backfill) runs at --rate or --speed until it reaches the wall clock, then follows it.
 */
export async function runProducer(o: RunOptions, d: RunDeps): Promise<ProducerStats> {
  const stats: ProducerStats = { sent: 0, acked: { valid: 0, malformed: {} }, failed: 0, elapsedMs: 0 };
  const kinds = malformedKinds(d.chain.malformed);
  const rng = new Faker({ locale: [en] });
  rng.seed(o.seed + 7919);
  const pick = (n: number) => rng.number.int(n - 1);
  const clock = d.clock ?? wallClock;
  const start = clock.now();
  let simStart: number | undefined;
  let nextKind = 0;
  let lastProgress = start;
  let lastSent = 0;
  const stopped = new Promise<void>((resolve) => d.signal.addEventListener('abort', () => resolve(), { once: true }));

  for await (const generated of d.source) {
    if (d.signal.aborted) break;
    if (o.count !== undefined && stats.sent >= o.count) break;
    const now = clock.now();
    if (o.durationMs !== undefined && now - start >= o.durationMs) break;

    simStart ??= generated.eventTimeMs;
    let due = generated.eventTimeMs;
    if (o.pace === 'rate' && o.rate > 0) due = Math.max(due, start + (stats.sent * 1000) / o.rate);
    if (o.pace === 'realtime') due = Math.max(due, start + (generated.eventTimeMs - simStart) / o.speed);
    // Pacing may run a millisecond or two late; an event's own time is a hard floor.
    if (due - now > 2 || generated.eventTimeMs > now) await clock.sleepUntil(due, d.signal);
    else if (stats.sent % 1000 === 0) await new Promise((r) => setImmediate(r));
    if (d.signal.aborted) break;

    let record = generated;
    let kind = generated.malformedKind ?? 'valid';
    if (d.mixMalformed && o.malformedRatio > 0 && rng.number.float() < o.malformedRatio && !d.intact?.(generated)) {
      // Round-robin over kinds: a small sample still covers every kind.
      kind = kinds[nextKind++ % kinds.length]!;
      record = corrupt(generated, kind, d.chain.malformed, pick, clock.now());
    }
    d.producer.sendWithCallback(
      { topic: record.topic, key: record.key, value: record.value, ...(record.headers ? { headers: record.headers } : {}), ...(record.timestampMs !== undefined ? { timestamp: record.timestampMs } : {}) },
      (err) => {
        d.onDelivered?.(kind, !err);
        if (err) stats.failed++;
        else if (kind === 'valid') {
          stats.acked.valid++;
          d.onAcked?.(generated);
        } else {
          stats.acked.malformed[kind] = (stats.acked.malformed[kind] ?? 0) + 1;
          if (generated.malformedKind) d.onAcked?.(generated);
        }
      },
    );
    stats.sent++;

    if (d.producer.pending > MAX_PENDING && !d.signal.aborted) await Promise.race([d.producer.pendingBelow(MAX_PENDING + 1), stopped]);
    if (now - lastProgress >= o.progressMs) {
      d.progress(stats, ((stats.sent - lastSent) * 1000) / (now - lastProgress));
      lastProgress = now;
      lastSent = stats.sent;
    }
  }
  await d.producer.flush(60_000);
  stats.elapsedMs = clock.now() - start;
  return stats;
}

async function sleepUntil(t: number, signal: AbortSignal): Promise<void> {
  // A timer may fire a millisecond early: wait again until the clock really is at t.
  while (!signal.aborted && Date.now() < t) await sleepFor(t - Date.now(), signal);
}

function sleepFor(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
