/**
 * The analytics stage catching up on a backlog, on the dev stack (or KAFKA_BROKERS): N logins
 * of simulated time (one every ~100 ms, from hours ago) produced and processed first, then the
 * stage started alone over them. Sampled every 500 ms from its metrics: RSS, V8 heap used and
 * total, external memory, records held by open windows; the sample at the peak RSS and the
 * one when every record was windowed are printed as JSON. A breakdown of where the stage's
 * memory goes, cheaper than the full bench (which needs the heavy lock):
 *   npm run build && node dist/bench/analyticsCatchUp.js [N] [KEY=VALUE ...]
 */
import { runToEnd, signalProcess, startService, stopAll } from '../harness';
import { KafkaAdmin } from '../pipeline/kafka';

const MiB = 2 ** 20;

interface Sample {
  readonly atMs: number;
  readonly rssMiB: number;
  readonly heapUsedMiB: number;
  readonly heapTotalMiB: number;
  readonly externalMiB: number;
  readonly held: number;
  readonly windowed: number;
}

function metric(text: string, name: string, label = ''): number {
  const line = text.split('\n').find((l) => l.startsWith(name) && l.includes(label));
  return line ? Number(line.split(' ').pop()) : Number.NaN;
}

async function main(): Promise<void> {
  const [n = '100000', ...pairs] = process.argv.slice(2);
  const events = Number(n);
  const extra = Object.fromEntries(pairs.map((p) => p.split('=') as [string, string]));
  const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
  const ns = `catchup-${Date.now()}-`;
  const env = { KAFKA_BROKERS: brokers, OPENSEARCH_URL: process.env.OPENSEARCH_URL ?? 'http://127.0.0.1:9200', STREAMDEX_NAMESPACE: ns, CHAINS: 'login', TOPIC_PARTITIONS: '3', ANALYTICS: 'true' };
  const port = 39_000 + Math.floor(Math.random() * 900);
  const admin = new KafkaAdmin({ brokers: brokers.split(','), clientId: 'streamdex-catchup' });
  try {
    if ((await runToEnd('admin', { env, args: ['create-topics'] })).code !== 0) throw new Error('create-topics failed');
    const processor = startService('processor', { env });
    const start = new Date(Date.now() - 8 * 3_600_000).toISOString();
    const produced = await runToEnd('producer', { env, args: ['--chain', 'login', '--rate', '0', '--count', String(events), '--seed', '5', '--start-time', start] });
    if (produced.code !== 0) throw new Error('producer failed');
    // The processor's lag on the dev stack is seconds; the stage then reads a backlog.
    await new Promise((r) => setTimeout(r, 15_000));
    const t0 = Date.now();
    const stage = startService('analytics', { env: { ...env, METRICS_PORT: String(port), ...extra } });
    let peak: Sample | undefined;
    let last: Sample | undefined;
    while (Date.now() - t0 < 300_000) {
      await new Promise((r) => setTimeout(r, 500));
      const text = await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text(), () => undefined);
      if (!text) continue;
      last = {
        atMs: Date.now() - t0,
        rssMiB: Math.round(metric(text, 'process_resident_memory_bytes') / MiB),
        heapUsedMiB: Math.round(metric(text, 'nodejs_heap_size_used_bytes') / MiB),
        heapTotalMiB: Math.round(metric(text, 'nodejs_heap_size_total_bytes') / MiB),
        externalMiB: Math.round(metric(text, 'nodejs_external_memory_bytes') / MiB),
        held: metric(text, 'streamdex_analytics_held_records'),
        windowed: metric(text, 'streamdex_analytics_records_total', 'outcome="windowed"'),
      };
      if (!peak || last.rssMiB > peak.rssMiB) peak = last;
      if (last.windowed >= events) break;
    }
    process.stdout.write(`${JSON.stringify({ events, settings: extra, peak, done: last })}\n`);
    await signalProcess(stage, 'SIGTERM');
    await signalProcess(processor, 'SIGTERM');
  } finally {
    await stopAll();
    const mine = (await admin.listTopics()).filter((t) => t.startsWith(ns));
    await admin.deleteTopics(mine).catch(() => undefined);
    admin.close();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exit(1);
  });
}
