import { join } from 'node:path';
import type { Client } from '@opensearch-project/opensearch';
import { countDocs, signalProcess, startProcess, type StackInstance } from '../../harness';
import { sleep } from '../../pipeline/retry';
import { loginChainIn, runProducer } from '../services';
import { cpuPerEvent, endToEnd, sampler, serviceEnv, startPipeline, type EndToEndResult } from '../stages';

export const Design = { STREAMDEX: 'streamdex', INGEST_PIPELINE: 'ingest-pipeline' } as const;
export type Design = (typeof Design)[keyof typeof Design];

export interface DesignRun extends EndToEndResult {
  readonly design: Design;
  readonly round: number;
  /** Events per CPU-second of everything but the producer (the same producer feeds both designs). */
  readonly eventsPerCpuSecond: number;
}

export interface DesignSummary {
  readonly design: Design;
  /** Medians over the rounds. */
  readonly eventsPerSec: number;
  readonly eventsPerCpuSecond: number;
  /** Median CPU µs per event of each process. */
  readonly cpuMicrosPerEvent: Record<string, number>;
  /** Highest peak RSS of each process over the rounds. */
  readonly peakRssBytes: Record<string, number>;
}

export interface PeersComparison {
  readonly events: number;
  readonly runs: DesignRun[];
  readonly streamdex: DesignSummary;
  readonly peers: DesignSummary[];
}

/** The peer's script as `npm run build` compiles it, beside this file. */
const PEER_SCRIPT = join(__dirname, 'ingestPipelinePeer.js');

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function withEfficiency(design: Design, round: number, r: EndToEndResult): DesignRun {
  const cpu = Object.entries(r.usage.processes).reduce((a, [name, p]) => (name === 'producer' ? a : a + p.cpuSeconds), 0);
  return { ...r, design, round, eventsPerCpuSecond: r.events / cpu };
}

function summarize(design: Design, runs: readonly DesignRun[]): DesignSummary {
  const mine = runs.filter((r) => r.design === design);
  const names = [...new Set(mine.flatMap((r) => Object.keys(r.cpuSecondsPerEvent)))];
  const cpuMicrosPerEvent: Record<string, number> = {};
  const peakRssBytes: Record<string, number> = {};
  for (const k of names) {
    cpuMicrosPerEvent[k] = median(mine.map((r) => (r.cpuSecondsPerEvent[k] ?? Number.NaN) * 1e6));
    peakRssBytes[k] = Math.max(...mine.map((r) => r.usage.processes[k]?.peakRssBytes ?? 0));
  }
  return { design, eventsPerSec: median(mine.map((r) => r.eventsPerSec)), eventsPerCpuSecond: median(mine.map((r) => r.eventsPerCpuSecond)), cpuMicrosPerEvent, peakRssBytes };
}

/** Streamdex end to end: producer -> processor -> processed topic -> indexer -> OpenSearch. */
async function streamdexRun(stack: StackInstance, ns: string, events: number, seed: number): Promise<EndToEndResult> {
  await loginChainIn(ns, stack.brokers);
  const pipeline = await startPipeline(stack, ns);
  try {
    return await endToEnd(stack, pipeline, ns, events, seed);
  } finally {
    await pipeline.stop();
  }
}

/**
 * The ingest-pipeline peer over the same events: it ends, as Streamdex's run does, when the
 * consumer has confirmed the last document (its bulk succeeded and its offset is committed);
 * the index is then counted, and a document checked for the enrichment.
 */
async function ingestPipelineRun(stack: StackInstance, client: Client, ns: string, events: number, seed: number): Promise<EndToEndResult> {
  const chain = await loginChainIn(ns, stack.brokers);
  const index = `${ns}peer-login`;
  let indexed = 0;
  let onIndexed: (() => void) | undefined;
  let onReady: (() => void) | undefined;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  const peer = startProcess(process.execPath, [PEER_SCRIPT], {
    name: 'peer',
    env: {
      PEER_BROKERS: stack.brokers,
      PEER_TOPIC: chain.topics.inputs[0]!,
      PEER_GROUP: `${ns}peer`,
      PEER_OPENSEARCH_URL: stack.openSearchUrl,
      PEER_INDEX: index,
      PEER_PIPELINE: `${ns}peer-enrich`,
    },
    onLine: (line, stream) => {
      if (stream !== 'stdout' || !line.startsWith('{')) return;
      const m = JSON.parse(line) as { ready?: boolean; indexed?: number };
      if (m.ready) onReady?.();
      if (m.indexed !== undefined) {
        indexed = m.indexed;
        if (indexed >= events) onIndexed?.();
      }
    },
  });
  const failed = peer.exited.then((code) => {
    throw new Error(`peer exited with ${code}:\n${peer.tail()}`);
  });
  try {
    await Promise.race([ready, failed]);
    // As for Streamdex's services: the assignment has just arrived, let the fetch start.
    await sleep(3000);
    const s = sampler(stack);
    s.track('peer', peer.pid);
    s.start();
    const t0 = performance.now();
    const done = new Promise<number>((resolve) => (onIndexed = () => resolve(performance.now())));
    const produced = runProducer('producer', serviceEnv(stack, ns), ['--rate', '0', '--count', String(events), '--seed', String(seed)], (p) => s.track('producer', p.pid, true));
    const [summary, doneAt] = await Promise.race([Promise.all([produced, done]), failed]);
    const usage = s.stop();
    if (summary.acked.valid !== events) throw new Error(`producer: ${summary.acked.valid} of ${events} acknowledged`);
    const stored = await countDocs(client, index);
    if (stored !== events) throw new Error(`peer: ${stored} documents in ${index}, ${events} produced`);
    const enriched = await client.count({ index, body: { query: { exists: { field: 'geo.country_iso_code' } } } });
    if ((enriched.body as { count: number }).count === 0) throw new Error(`peer: no document in ${index} has geo.country_iso_code: the ingest pipeline did not enrich`);
    return { events, eventsPerSec: events / ((doneAt - t0) / 1000), usage, cpuSecondsPerEvent: cpuPerEvent(usage, events) };
  } finally {
    void failed.catch(() => undefined);
    await signalProcess(peer, 'SIGTERM', 30_000);
  }
}

/**
 * Streamdex end to end and the ingest-pipeline peer, the same N events each on fresh topics and
 * indices of the same Kafka and OpenSearch, `rounds` times in alternating order (Streamdex
 * first in the first round, so what warm-up is left counts against Streamdex, not the peer),
 * after an untimed warm-up run of each.
 */
export async function peersComparison(stack: StackInstance, client: Client, id: string, events: number, seed: number, rounds: number, log: (msg: string) => void): Promise<PeersComparison> {
  const runs: DesignRun[] = [];
  // Untimed first: a just-started OpenSearch indexed at a fraction of its warm rate (a cold
  // 30,000-event run cost it 554 µs per Streamdex document), and both designs' paths need it warm.
  const warm = Math.min(events, 30_000);
  for (const design of [Design.STREAMDEX, Design.INGEST_PIPELINE]) {
    log(`peers: warming up with ${design} (${warm} events, not counted)`);
    const ns = `${id}pw${design === Design.STREAMDEX ? 's' : 'i'}-`;
    await (design === Design.STREAMDEX ? streamdexRun(stack, ns, warm, seed) : ingestPipelineRun(stack, client, ns, warm, seed));
  }
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? [Design.STREAMDEX, Design.INGEST_PIPELINE] : [Design.INGEST_PIPELINE, Design.STREAMDEX];
    for (const design of order) {
      log(`peers: ${design}, round ${round + 1} of ${rounds}`);
      const ns = `${id}p${round}${design === Design.STREAMDEX ? 's' : 'i'}-`;
      const r = design === Design.STREAMDEX ? await streamdexRun(stack, ns, events, seed) : await ingestPipelineRun(stack, client, ns, events, seed);
      const run = withEfficiency(design, round, r);
      runs.push(run);
      log(`  ${run.eventsPerSec.toFixed(0)} ev/s, ${(1e6 / run.eventsPerCpuSecond).toFixed(1)} CPU µs/event without the producer`);
    }
  }
  return { events, runs, streamdex: summarize(Design.STREAMDEX, runs), peers: [summarize(Design.INGEST_PIPELINE, runs)] };
}
