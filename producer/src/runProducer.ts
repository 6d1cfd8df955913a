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
  readonly producer: KafkaProducer;
  readonly chain: GenerationFacet;
  readonly source: AsyncIterable<GeneratedRecord>;
  readonly signal: AbortSignal;
  readonly progress: (stats: ProducerStats, ratePerSec: number) => void;
  /** Malformed records are only mixed into generated data, never into a replay. */
  readonly mixMalformed: boolean;
}

/**
 * Sends records at the requested pace and counts what the broker acknowledged, per kind,
 * so tests and the fault suite know exactly how many valid and broken events exist.
 * Never sends an event from the future: a simulation that runs ahead of the clock waits.
 */
export async function runProducer(o: RunOptions, d: RunDeps): Promise<ProducerStats> {
  const stats: ProducerStats = { sent: 0, acked: { valid: 0, malformed: {} }, failed: 0, elapsedMs: 0 };
  const kinds = malformedKinds(d.chain.malformed);
  const rng = new Faker({ locale: [en] });
  rng.seed(o.seed + 7919);
  const pick = (n: number) => rng.number.int(n - 1);
  const start = Date.now();
  let simStart: number | undefined;
  let nextKind = 0;
  let lastProgress = start;
  let lastSent = 0;

  for await (const generated of d.source) {
    if (d.signal.aborted) break;
    if (o.count !== undefined && stats.sent >= o.count) break;
    const now = Date.now();
    if (o.durationMs !== undefined && now - start >= o.durationMs) break;

    simStart ??= generated.eventTimeMs;
    let due = generated.eventTimeMs;
    if (o.pace === 'rate' && o.rate > 0) due = Math.max(due, start + (stats.sent * 1000) / o.rate);
    if (o.pace === 'realtime') due = Math.max(start + (generated.eventTimeMs - simStart) / o.speed, Math.min(due, now));
    if (due - now > 2) await sleepUntil(due, d.signal);
    else if (stats.sent % 1000 === 0) await new Promise((r) => setImmediate(r));
    if (d.signal.aborted) break;

    let record = generated;
    let kind = 'valid';
    if (d.mixMalformed && o.malformedRatio > 0 && rng.number.float() < o.malformedRatio) {
      // Round-robin over kinds: a small sample still covers every kind.
      kind = kinds[nextKind++ % kinds.length]!;
      record = corrupt(generated, kind, d.chain.malformed, pick, Date.now());
    }
    d.producer.sendWithCallback(
      { topic: record.topic, key: record.key, value: record.value, ...(record.headers ? { headers: record.headers } : {}) },
      (err) => {
        if (err) stats.failed++;
        else if (kind === 'valid') stats.acked.valid++;
        else stats.acked.malformed[kind] = (stats.acked.malformed[kind] ?? 0) + 1;
      },
    );
    stats.sent++;

    // Bounded memory: do not queue more than librdkafka can take in a few seconds.
    while (d.producer.pending > 100_000 && !d.signal.aborted) await new Promise((r) => setTimeout(r, 5));
    if (now - lastProgress >= o.progressMs) {
      d.progress(stats, ((stats.sent - lastSent) * 1000) / (now - lastProgress));
      lastProgress = now;
      lastSent = stats.sent;
    }
  }
  await d.producer.flush(60_000);
  stats.elapsedMs = Date.now() - start;
  return stats;
}

function sleepUntil(t: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, Math.max(0, t - Date.now()));
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
