import { sleep } from '../pipeline/retry';
import { ProcessSampler, type WindowUsage } from './processSampler';
import type { StackInstance } from '../harness';
import { rateOf, runProducer, startService, stopService, waitForCount, waitHealthy, type Service } from './services';

export const PROCESSED = 'streamdex_processor_records_total';
export const INDEXED = 'streamdex_indexer_records_total';
export const INDEXED_OK = 'outcome="indexed"';

export interface StageResult {
  readonly events: number;
  readonly eventsPerSec: number;
  readonly usage: WindowUsage;
}

export function sampler(stack: StackInstance): ProcessSampler {
  const s = new ProcessSampler();
  const kafka = stack.pid('kafka');
  const os = stack.pid('opensearch');
  if (kafka) s.track('kafka', kafka);
  if (os) s.track('opensearch', os);
  return s;
}

/** CPU seconds per event of each sampled process. */
export function cpuPerEvent(usage: WindowUsage, events: number): Record<string, number> {
  return Object.fromEntries(Object.entries(usage.processes).map(([name, u]) => [name, u.cpuSeconds / events]));
}

/**
 * These services started on `env` and joined to their groups, idle; all stopped again if
 * one does not become healthy.
 */
export async function startJoined(env: Record<string, string>, names: readonly ('processor' | 'indexer' | 'analytics')[]): Promise<Service[]> {
  const services = names.map((n) => startService(n, n, env));
  try {
    await Promise.all(services.map((s) => waitHealthy(s)));
    // Healthy means consuming has started; the group join that follows takes a moment.
    await sleep(3000);
  } catch (err) {
    await Promise.all(services.map((s) => stopService(s)));
    throw err;
  }
  return services;
}

export function serviceEnv(stack: StackInstance, namespace: string, extra: Record<string, string> = {}): Record<string, string> {
  return { KAFKA_BROKERS: stack.brokers, OPENSEARCH_URL: stack.openSearchUrl, STREAMDEX_NAMESPACE: namespace, ...extra };
}

/** The producer alone at full speed into an empty topic: fills the topic the processor stage reads. */
export async function producerAlone(stack: StackInstance, namespace: string, events: number, seed: number): Promise<StageResult> {
  const s = sampler(stack);
  s.start();
  const summary = await runProducer('producer', serviceEnv(stack, namespace), ['--rate', '0', '--count', String(events), '--seed', String(seed)], (p) => s.track('producer', p.pid, true));
  const usage = s.stop();
  if (summary.acked.valid !== events) throw new Error(`producer: ${summary.acked.valid} of ${events} acknowledged`);
  return { events, eventsPerSec: events / (summary.elapsedMs / 1000), usage };
}

/** One consuming service alone on a pre-filled topic, until its counter reaches `events`. */
async function consumerAlone(stack: StackInstance, namespace: string, which: 'processor' | 'indexer', events: number, env: Record<string, string> = {}): Promise<StageResult> {
  const svc = startService(which, which, serviceEnv(stack, namespace, env));
  const s = sampler(stack);
  s.track(which, svc.pid, true);
  s.start();
  try {
    const p = which === 'processor' ? await waitForCount(svc, PROCESSED, events) : await waitForCount(svc, INDEXED, events, INDEXED_OK);
    const usage = s.stop();
    return { events, eventsPerSec: rateOf(p, events), usage };
  } finally {
    await stopService(svc);
  }
}

export const processorAlone = (stack: StackInstance, ns: string, events: number) => consumerAlone(stack, ns, 'processor', events);
export const indexerAlone = (stack: StackInstance, ns: string, events: number, env: Record<string, string> = {}) => consumerAlone(stack, ns, 'indexer', events, env);

export interface Pipeline {
  readonly processor: Service;
  readonly indexer: Service;
  readonly stop: () => Promise<void>;
}

/** Processor and indexer running on a namespace, joined to their groups and idle. */
export async function startPipeline(stack: StackInstance, namespace: string, extra: Record<string, string> = {}): Promise<Pipeline> {
  const [processor, indexer] = (await startJoined(serviceEnv(stack, namespace, extra), ['processor', 'indexer'])) as [Service, Service];
  const stop = async () => {
    await Promise.all([stopService(processor), stopService(indexer)]);
  };
  return { processor, indexer, stop };
}

export interface EndToEndResult extends StageResult {
  /** CPU seconds per event of each process over the run. */
  readonly cpuSecondsPerEvent: Record<string, number>;
}

/**
 * The whole chain at full speed: from the producer's start until the indexer confirmed
 * the last document. Every process's CPU is sampled, and the machine's busy share.
 */
export async function endToEnd(stack: StackInstance, pipeline: Pipeline, namespace: string, events: number, seed: number, indexedBefore = 0): Promise<EndToEndResult> {
  const s = sampler(stack);
  s.track('processor', pipeline.processor.pid);
  s.track('indexer', pipeline.indexer.pid);
  s.start();
  const t0 = performance.now();
  const produced = runProducer('producer', serviceEnv(stack, namespace), ['--rate', '0', '--count', String(events), '--seed', String(seed)], (p) => s.track('producer', p.pid, true));
  const [, p] = await Promise.all([produced, waitForCount(pipeline.indexer, INDEXED, indexedBefore + events, INDEXED_OK)]);
  const usage = s.stop();
  return { events, eventsPerSec: events / ((p.doneAt - t0) / 1000), usage, cpuSecondsPerEvent: cpuPerEvent(usage, events) };
}
