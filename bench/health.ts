import type { Client } from '@opensearch-project/opensearch';
import { countDocs, type StackInstance } from '../harness';
import { deadLetterIndexWithNamespace } from '../pipeline/chains/deadLetterIndex';
import { sleep } from '../pipeline/retry';
import { loginChainIn, runProducer, stopService } from './services';
import { cpuPerEvent, sampler, serviceEnv, startJoined, type EndToEndResult } from './stages';

/** Share of the "with" run's records broken on purpose, so that dead letters are indexed. */
export const HEALTH_MALFORMED_RATIO = 0.01;

export interface HealthComparison {
  /** HEALTH_INTERVAL_MS=0 and only valid records: no health samples, no dead letters. Two runs. */
  readonly without: readonly EndToEndResult[];
  /** Health sampled at the default interval and 1 % malformed records indexed as dead letters. Two runs. */
  readonly with: readonly EndToEndResult[];
  /** Health sampled, only valid records: what sampling costs apart from the dead letters. Two runs (absent in results before 2026-12-04). */
  readonly samplingOnly?: readonly EndToEndResult[];
  /** Dead letters of each "with" run. */
  readonly deadLetters: number;
  /** Mean rate with ÷ mean rate without. */
  readonly ratio: number;
  /** Mean rate with sampling only ÷ mean rate without. */
  readonly samplingOnlyRatio?: number;
}

/** What a run of the comparison has on: health sampling, and malformed input to dead-letter. */
interface Variant {
  readonly sampling: boolean;
  readonly deadLetters: boolean;
}
const OFF: Variant = { sampling: false, deadLetters: false };
const SAMPLING: Variant = { sampling: true, deadLetters: false };
const BOTH: Variant = { sampling: true, deadLetters: true };

const mean = (xs: readonly EndToEndResult[]) => xs.reduce((a, r) => a + r.eventsPerSec, 0) / xs.length;

/**
 * The same number of events end to end at full speed six times, each on fresh topics and
 * indices: health sampling off with no dead letters; sampling on with only valid records; or
 * as deployed (sampling on) with dead letters to index. The order is off, sampling, both,
 * both, sampling, off, so that a drift of the machine over the runs (a fresh stack warming
 * up, other load fading) weighs on all alike. Each run ends when the raw index holds every
 * valid event and the dead-letter index every malformed one.
 */
export async function healthComparison(stack: StackInstance, client: Client, id: string, events: number, seed: number, log: (msg: string) => void): Promise<HealthComparison> {
  const runs = new Map<Variant, EndToEndResult[]>([OFF, SAMPLING, BOTH].map((v) => [v, []]));
  let deadLetters = 0;
  for (const [i, v] of [OFF, SAMPLING, BOTH, BOTH, SAMPLING, OFF].entries()) {
    log(`end to end at full speed, health sampling ${v.sampling ? 'on' : 'off'}, ${v.deadLetters ? `${HEALTH_MALFORMED_RATIO * 100} % dead letters indexed` : 'no dead letters'}`);
    const r = await run(stack, client, `${id}h${i}-`, events, seed, v);
    log(`  ${r.result.eventsPerSec.toFixed(0)} ev/s${v.deadLetters ? ` (${r.deadLetters} dead letters)` : ''}`);
    runs.get(v)!.push(r.result);
    if (v.deadLetters) deadLetters = r.deadLetters;
  }
  const [without, samplingOnly, withBoth] = [OFF, SAMPLING, BOTH].map((v) => runs.get(v)!);
  return { without: without!, with: withBoth!, samplingOnly, deadLetters, ratio: mean(withBoth!) / mean(without!), samplingOnlyRatio: mean(samplingOnly!) / mean(without!) };
}

async function run(stack: StackInstance, client: Client, ns: string, events: number, seed: number, v: Variant): Promise<{ result: EndToEndResult; deadLetters: number }> {
  const chain = await loginChainIn(ns, stack.brokers);
  const deadLetterAlias = deadLetterIndexWithNamespace(ns).alias;
  const env = serviceEnv(stack, ns, v.sampling ? {} : { HEALTH_INTERVAL_MS: '0' });
  const services = await startJoined(env, ['processor', 'indexer']);
  try {
    const s = sampler(stack);
    for (const svc of services) s.track(svc.name, svc.pid);
    s.start();
    const t0 = performance.now();
    const summary = await runProducer('producer', env, ['--rate', '0', '--count', String(events), '--seed', String(seed), '--malformed-ratio', String(v.deadLetters ? HEALTH_MALFORMED_RATIO : 0)], (p) => s.track('producer', p.pid, true));
    const malformed = Object.values(summary.acked.malformed).reduce((a, b) => a + b, 0);
    if (summary.acked.valid + malformed !== events) throw new Error(`producer: ${summary.acked.valid} + ${malformed} of ${events} acknowledged`);
    const deadline = Date.now() + 600_000;
    for (;;) {
      const valid = await countDocs(client, chain.index.alias);
      const dead = malformed ? await countDocs(client, deadLetterAlias).catch(() => 0) : 0;
      if (valid >= summary.acked.valid && dead >= malformed) break;
      if (Date.now() > deadline) throw new Error(`${chain.index.alias}: ${valid} of ${summary.acked.valid}, ${deadLetterAlias}: ${dead} of ${malformed} after 10 min`);
      await sleep(200);
    }
    const elapsed = (performance.now() - t0) / 1000;
    const usage = s.stop();
    return { result: { events, eventsPerSec: events / elapsed, usage, cpuSecondsPerEvent: cpuPerEvent(usage, events) }, deadLetters: malformed };
  } finally {
    await Promise.all(services.map((svc) => stopService(svc)));
  }
}
