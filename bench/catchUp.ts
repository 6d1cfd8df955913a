/**
 * One stage catching up on a backlog, on the dev stack (or KAFKA_BROKERS): N logins (one every
 * ~100 ms of simulated time, from hours ago) produced, and processed first where the stage
 * reads processed records, then the stage started alone over them. Sampled every 500 ms from
 * its metrics: RSS, V8 heap used and total, external memory, and for analytics the records
 * held by open windows; the sample at the peak RSS and the one when the stage had read every
 * record are printed as JSON. A breakdown of where a stage's memory goes, cheaper than the
 * full bench (which needs the heavy lock):
 *   npm run build && node dist/bench/catchUp.js processor|indexer|analytics [N] [KEY=VALUE ...]
 * A KEY=VALUE sets the stage's environment; NODE_ARGS="--flag ..." adds node flags after
 * services.json's runtime ones (the last of a repeated flag wins).
 */
import { runToEnd, signalProcess, startService, stopAll, type RunningProcess } from '../harness';
import { KafkaAdmin } from '../pipeline/kafka';

const MiB = 2 ** 20;
const STAGES = { processor: 'streamdex_processor_records_total', indexer: 'streamdex_indexer_records_total', analytics: 'streamdex_analytics_records_total' } as const;
type Stage = keyof typeof STAGES;

interface Sample {
  readonly atMs: number;
  readonly rssMiB: number;
  readonly heapUsedMiB: number;
  readonly heapTotalMiB: number;
  readonly externalMiB: number;
  readonly held?: number;
  readonly done: number;
}

/** The sum of a metric's samples whose labels include `label`. */
function metric(text: string, name: string, label = ''): number {
  const lines = text.split('\n').filter((l) => (l.startsWith(`${name} `) || l.startsWith(`${name}{`)) && l.includes(label));
  return lines.length === 0 ? Number.NaN : lines.reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}

async function main(): Promise<void> {
  const [stage, n = '100000', ...pairs] = process.argv.slice(2) as [Stage, ...string[]];
  if (!(stage in STAGES)) throw new Error(`usage: catchUp.js ${Object.keys(STAGES).join('|')} [N] [KEY=VALUE ...]`);
  const events = Number(n);
  const settings = Object.fromEntries(pairs.map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]));
  const { NODE_ARGS: nodeArgs = '', ...extra } = settings;
  const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
  const ns = `catchup-${Date.now()}-`;
  const env = { KAFKA_BROKERS: brokers, OPENSEARCH_URL: process.env.OPENSEARCH_URL ?? 'http://127.0.0.1:9200', STREAMDEX_NAMESPACE: ns, CHAINS: 'login', TOPIC_PARTITIONS: '3', ANALYTICS: 'true' };
  const port = 39_000 + Math.floor(Math.random() * 900);
  const admin = new KafkaAdmin({ brokers: brokers.split(','), clientId: 'streamdex-catchup' });
  try {
    if ((await runToEnd('admin', { env, args: ['create-topics'] })).code !== 0) throw new Error('create-topics failed');
    let processor: RunningProcess | undefined;
    if (stage !== 'processor') processor = startService('processor', { env });
    const start = new Date(Date.now() - 8 * 3_600_000).toISOString();
    const produced = await runToEnd('producer', { env, args: ['--chain', 'login', '--rate', '0', '--count', String(events), '--seed', '5', '--start-time', start] });
    if (produced.code !== 0) throw new Error('producer failed');
    // The processor's lag on the dev stack is seconds; the stage then reads a backlog.
    if (processor) await new Promise((r) => setTimeout(r, 15_000));
    const t0 = Date.now();
    const under = startService(stage, { env: { ...env, METRICS_PORT: String(port), ...extra }, nodeArgs: nodeArgs.split(' ').filter(Boolean) });
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
        ...(stage === 'analytics' ? { held: metric(text, 'streamdex_analytics_held_records') } : {}),
        done: metric(text, STAGES[stage], stage === 'analytics' ? 'outcome="windowed"' : ''),
      };
      if (!peak || last.rssMiB > peak.rssMiB) peak = last;
      if (last.done >= events) break;
    }
    process.stdout.write(`${JSON.stringify({ stage, events, settings, peak, done: last })}\n`);
    await signalProcess(under, 'SIGTERM');
    if (processor) await signalProcess(processor, 'SIGTERM');
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
