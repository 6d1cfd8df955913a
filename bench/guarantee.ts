import type { Client } from '@opensearch-project/opensearch';
import type { StackInstance } from '../harness';
import { ProcessingGuarantee } from '../pipeline/config';
import { latencyPhases, type LatencyPhase } from './latency';
import { loginChainIn } from './services';
import { endToEnd, startPipeline, type EndToEndResult } from './stages';

export interface GuaranteeRun {
  readonly guarantee: ProcessingGuarantee;
  readonly endToEnd: EndToEndResult;
  /** At the same offered rates for both guarantees: shares of at_least_once's end-to-end rate. */
  readonly latency: LatencyPhase[];
}

/** The price of exactly_once: end to end at full speed and latency at fixed rates, under each guarantee. */
export interface GuaranteeComparison {
  /** The rate the latency shares are of: at_least_once's end to end. */
  readonly maxRate: number;
  readonly runs: GuaranteeRun[];
}

/**
 * The same pipeline (processor and indexer) twice, on fresh topics each time: with the
 * processor under at_least_once, then exactly_once. The latency phases of both run at the
 * same rates, so their percentiles compare like with like.
 */
export async function guaranteeComparison(
  stack: StackInstance,
  client: Client,
  id: string,
  events: number,
  seed: number,
  shares: readonly number[],
  durationS: number,
  log: (msg: string) => void,
): Promise<GuaranteeComparison> {
  const runs: GuaranteeRun[] = [];
  let maxRate: number | undefined;
  for (const guarantee of [ProcessingGuarantee.AT_LEAST_ONCE, ProcessingGuarantee.EXACTLY_ONCE]) {
    const ns = `${id}g${runs.length}-`;
    const chain = await loginChainIn(ns, stack.brokers);
    const pipeline = await startPipeline(stack, ns, { PROCESSING_GUARANTEE: guarantee });
    try {
      log(`${guarantee}: end to end at full speed`);
      const e = await endToEnd(stack, pipeline, ns, events, seed);
      log(`  ${e.eventsPerSec.toFixed(0)} ev/s`);
      maxRate ??= e.eventsPerSec;
      log(`${guarantee}: latency at ${shares.map((x) => x * 100).join(', ')} % of ${maxRate.toFixed(0)} ev/s, ${durationS} s each`);
      const latency = await latencyPhases(stack, client, pipeline, ns, chain.index.alias, maxRate, shares, durationS, seed, events);
      for (const p of latency) log(`  ${p.share * 100} %: p99 ${p.total.p99} ms`);
      runs.push({ guarantee, endToEnd: e, latency });
    } finally {
      await pipeline.stop();
    }
  }
  return { maxRate: maxRate!, runs };
}
