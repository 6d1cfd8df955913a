import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chainTopics } from '../pipeline/admin/topics';
import { selectIndexing } from '../pipeline/chains/indexing';
import type { IndexFacet } from '../pipeline/chains/types';
import { KafkaAdmin } from '../pipeline/kafka';
import { sleep } from '../pipeline/retry';
import { ROOT } from './options';

export const SCRIPT = {
  processor: 'dist/consumer-processor/src/main.js',
  indexer: 'dist/consumer-indexer/src/main.js',
  producer: 'dist/producer/src/main.js',
} as const;

/** Partitions of the bench's topics: the project's default (TOPIC_PARTITIONS). */
export const PARTITIONS = 3;

export interface Service {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  readonly metricsPort: number;
  readonly exited: Promise<number | null>;
  readonly output: () => string;
}

let nextPort = 0;
const live = new Set<Service>();

/** Stops every service the bench started and has not stopped yet (failure, Ctrl-C). */
export async function stopAllServices(): Promise<void> {
  await Promise.all([...live].map((s) => stopService(s, 10_000)));
}

/** Runs one of the project's services from dist/ as its own process, like production does. */
export function startService(name: string, script: string, env: Record<string, string>, args: string[] = [], metricsBase = 29500): Service {
  const path = join(ROOT, script);
  if (!existsSync(path)) throw new Error(`${script} is missing: run \`npm run build\` first`);
  const metricsPort = metricsBase + (nextPort++ % 400);
  const child = spawn(process.execPath, [...(process.env.BENCH_NODE_OPTIONS ? process.env.BENCH_NODE_OPTIONS.split(' ') : []), path, ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', CHAINS: 'login', METRICS_PORT: String(metricsPort), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (b: Buffer) => {
    out += b.toString();
    if (out.length > 100_000) out = out.slice(-50_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const svc = { name, child, pid: child.pid!, metricsPort, exited, output: () => out };
  live.add(svc);
  void exited.then(() => live.delete(svc));
  return svc;
}

export async function stopService(s: Service, timeoutMs = 30_000): Promise<void> {
  if (s.child.exitCode !== null || s.child.signalCode !== null) return;
  s.child.kill('SIGTERM');
  const t = setTimeout(() => s.child.kill('SIGKILL'), timeoutMs);
  await s.exited;
  clearTimeout(t);
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
    await admin.createTopics(chainTopics([chain], PARTITIONS));
  } finally {
    admin.close();
  }
  return chain;
}

export interface ProducerSummary {
  sent: number;
  acked: { valid: number; malformed: Record<string, number> };
  failed: number;
  elapsedMs: number;
}

/** The project's producer CLI to completion; its last stdout line is the JSON summary. */
export async function runProducer(name: string, env: Record<string, string>, args: string[], onStart?: (s: Service) => void): Promise<ProducerSummary> {
  const s = startService(name, SCRIPT.producer, env, ['--chain', 'login', '--progress-seconds', '3600', ...args]);
  let stdout = '';
  s.child.stdout!.on('data', (b: Buffer) => (stdout += b.toString()));
  onStart?.(s);
  const code = await s.exited;
  const lines = stdout.trim().split('\n');
  if (code !== 0) throw new Error(`producer exited with ${code}:\n${s.output().slice(-3000)}`);
  return JSON.parse(lines[lines.length - 1]!) as ProducerSummary;
}
