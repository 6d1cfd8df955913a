import { chainTopics, healthTopic } from '../pipeline/admin/topics';
import { selectIndexing } from '../pipeline/chains/indexing';
import type { IndexFacet } from '../pipeline/chains/types';
import { KafkaAdmin } from '../pipeline/kafka';
import { sleep } from '../pipeline/retry';
import { producerSummary, signalProcess, startService as startServiceProcess, type ProducerSummary, type RunningProcess, type ServiceName } from '../harness';

/** Partitions of the bench's topics: the project's default (TOPIC_PARTITIONS). */
export const PARTITIONS = 3;

/** A service whose /metrics the bench reads. */
export interface Service extends RunningProcess {
  readonly metricsPort: number;
}

let nextPort = 0;

/** One of the project's services from dist/, on a metrics port of its own; BENCH_NODE_OPTIONS go to node. */
export function startService(name: string, service: ServiceName, env: Record<string, string>, args: string[] = [], keepStdout = false): Service {
  const metricsPort = 29500 + (nextPort++ % 400);
  const nodeArgs = process.env.BENCH_NODE_OPTIONS ? process.env.BENCH_NODE_OPTIONS.split(' ') : [];
  const p = startServiceProcess(service, { name, env: { CHAINS: 'login', METRICS_PORT: String(metricsPort), ...env }, args, nodeArgs, keepStdout });
  return { ...p, metricsPort };
}

export async function stopService(s: Service, timeoutMs = 30_000): Promise<void> {
  await signalProcess(s, 'SIGTERM', timeoutMs);
}

/** Sum of every sample of a counter on the service's /metrics (all label sets). */
export async function readCounter(s: Service, metric: string, labelFilter = ''): Promise<number | undefined> {
  try {
    const res = await fetch(`http://127.0.0.1:${s.metricsPort}/metrics`, { signal: AbortSignal.timeout(2000) });
    const text = await res.text();
    let sum = 0;
    for (const line of text.split('\n')) {
      if (line.startsWith(metric) && (line[metric.length] === '{' || line[metric.length] === ' ') && line.includes(labelFilter)) {
        sum += Number(line.slice(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  } catch {
    return undefined;
  }
}

export async function waitHealthy(s: Service, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (s.child.exitCode !== null) throw new Error(`${s.name} exited with ${s.child.exitCode}:\n${s.output().slice(-3000)}`);
    try {
      const res = await fetch(`http://127.0.0.1:${s.metricsPort}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await sleep(100);
  }
  throw new Error(`${s.name} not healthy after ${timeoutMs} ms:\n${s.output().slice(-3000)}`);
}

export interface CountProgress {
  /** performance.now() when the counter first moved. */
  readonly firstAt: number;
  /** Counter value at that first sight (work done before we saw it). */
  readonly firstValue: number;
  /** performance.now() when it reached the target. */
  readonly doneAt: number;
}

/**
 * Polls a counter until it reaches `target`; the rate is then taken between the first
 * sample that moved and the last, so start-up (connect, group join) is not counted.
 */
export async function waitForCount(s: Service, metric: string, target: number, labelFilter = '', timeoutMs = 600_000, pollMs = 50): Promise<CountProgress> {
  const deadline = Date.now() + timeoutMs;
  let firstAt = 0;
  let firstValue = 0;
  let last = 0;
  let lastMoved = Date.now();
  while (Date.now() < deadline) {
    if (s.child.exitCode !== null) throw new Error(`${s.name} exited with ${s.child.exitCode}:\n${s.output().slice(-3000)}`);
    const v = (await readCounter(s, metric, labelFilter)) ?? last;
    const now = performance.now();
    if (v > 0 && firstAt === 0) {
      firstAt = now;
      firstValue = v;
    }
    if (v !== last) lastMoved = Date.now();
    last = v;
    if (v >= target) return { firstAt, firstValue, doneAt: now };
    if (Date.now() - lastMoved > 120_000) break;
    await sleep(pollMs);
  }
  throw new Error(`${s.name}: ${metric} stuck at ${last} of ${target}:\n${s.output().slice(-3000)}`);
}

export function rateOf(p: CountProgress, target: number): number {
  const seconds = (p.doneAt - p.firstAt) / 1000;
  return seconds > 0 ? (target - p.firstValue) / seconds : Number.NaN;
}

/** The login chain under a namespace, with its topics created. */
export async function loginChainIn(namespace: string, brokers: string): Promise<IndexFacet> {
  const chain = selectIndexing(['login'], namespace)[0]!;
  const admin = new KafkaAdmin({ brokers: [brokers], clientId: 'streamdex-bench' });
  try {
    await admin.createTopics([...chainTopics([chain], PARTITIONS), healthTopic(namespace, 'streamdex-health', PARTITIONS)]);
  } finally {
    admin.close();
  }
  return chain;
}

/** The project's producer CLI to completion; its last stdout line is the JSON summary. */
export async function runProducer(name: string, env: Record<string, string>, args: string[], onStart?: (s: Service) => void): Promise<ProducerSummary> {
  const s = startService(name, 'producer', env, ['--chain', 'login', '--progress-seconds', '3600', ...args], true);
  onStart?.(s);
  const code = await s.exited;
  if (code !== 0) throw new Error(`producer exited with ${code}:\n${s.output().slice(-3000)}`);
  return producerSummary(s);
}
