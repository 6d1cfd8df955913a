import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { StackInstance, stopAll } from '../harness';
import { selectIndexing } from '../pipeline/chains/indexing';
import { selectProcessing } from '../pipeline/chains/processing';
import { selectGeneration } from '../producer/src/chains';
import { ConfigError, errorMessage } from '../pipeline/errors';
import { createOpenSearchClient } from '../pipeline/opensearch';
import { sleep } from '../pipeline/retry';
import { analyticsComparison, type AnalyticsComparison } from './analytics';
import { healthComparison, type HealthComparison } from './health';
import { enrichmentCore, generateRaw, kafkaConsumerPerf, kafkaProducerPerf, rawBulk, type BulkCeiling, type CoreResult, type KafkaCeiling } from './ceilings';
import { describeConfiguration, describeMachine, readIndexSettings, type Configuration, type Machine } from './configuration';
import { guaranteeComparison, type GuaranteeComparison } from './guarantee';
import { latencyPhases, type LatencyPhase } from './latency';
import { indexerOutage, type OutageResult } from './memory';
import { fieldCosts, type FieldCosts } from './fieldCost';
import { peersComparison, type PeersComparison } from './peers';
import { parseBenchArgs, ROOT, USAGE, type BenchOptions } from './options';
import { renderReport } from './report';
import { loginChainIn } from './services';
import { endToEnd, indexerAlone, processorAlone, producerAlone, startPipeline, type EndToEndResult, type Pipeline, type StageResult } from './stages';
import { evaluateTargets, type Target } from './targets';

export interface BenchResult {
  readonly startedAt: string;
  finishedAt?: string;
  readonly command: string;
  readonly options: BenchOptions;
  readonly machine: Machine;
  readonly configuration: Configuration;
  ceilings?: { core?: CoreResult; bulk?: BulkCeiling; kafkaProducer?: KafkaCeiling; kafkaConsumer?: KafkaCeiling };
  stages?: { producer?: StageResult; processor?: StageResult; indexer?: StageResult; endToEnd?: EndToEndResult };
  maxRate?: number;
  latency?: LatencyPhase[];
  memory?: { outage?: OutageResult };
  /** End to end without and with the analytics stage. */
  analytics?: AnalyticsComparison;
  /** End to end without and with health sampling and dead-letter indexing. */
  health?: HealthComparison;
  /** End to end and latency under at_least_once and exactly_once. */
  guarantee?: GuaranteeComparison;
  /** Streamdex end to end beside the designs a user would pick instead, same events, same servers. */
  peers?: PeersComparison;
  /** What each group of the login template's fields costs OpenSearch per document. */
  fields?: FieldCosts;
  targets?: Target[];
  /** Whether the machine was quiet when the measurements started, and how long we waited for it. */
  quiet?: { readonly achieved: boolean; readonly waitedSeconds: number; readonly loadAvg1: number; readonly otherStacks: readonly string[] };
  errors: string[];
}

/** Polls until no other stack instance runs and the 1-minute load is below 0.5, or the time is up. */
async function waitQuiet(o: BenchOptions): Promise<NonNullable<BenchResult['quiet']>> {
  const t0 = Date.now();
  for (;;) {
    const m = describeMachine(o.stackHome);
    const achieved = m.otherStacks.length === 0 && m.loadAvg[0]! < 0.5;
    const waitedSeconds = Math.round((Date.now() - t0) / 1000);
    if (achieved || waitedSeconds >= o.waitQuietMinutes * 60) return { achieved, waitedSeconds, loadAvg1: m.loadAvg[0]!, otherStacks: m.otherStacks };
    log(`waiting for a quiet machine (load ${m.loadAvg[0]}, other stacks: ${m.otherStacks.join(', ') || 'none'})`);
    await sleep(15_000);
  }
}

/** Shares of the maximum rate the latency phases run at. */
const LATENCY_SHARES = [0.25, 0.5, 0.75] as const;

const log = (msg: string) => process.stderr.write(`bench: ${msg}\n`);

async function run(o: BenchOptions, r: BenchResult, stack: StackInstance): Promise<void> {
  const has = (m: BenchOptions['only'][number]) => o.only.includes(m);
  const client = createOpenSearchClient({ url: stack.openSearchUrl, requestTimeoutMs: 120_000 });
  const id = `b${Date.now().toString(36)}-`;
  const base = selectProcessing(['login'])[0]!;
  const records = generateRaw(selectGeneration(['login'])[0]!, o.events, o.seed);
  try {
    if (has('ceilings')) {
      r.ceilings = {};
      log('ceiling: enrichment core');
      r.ceilings.core = enrichmentCore(base, records);
      log(`  ${r.ceilings.core.eventsPerSec.toFixed(0)} ev/s`);
      log('ceiling: raw _bulk');
      const c = await loginChainIn(`${id}c-`, stack.brokers);
      r.ceilings.bulk = await rawBulk(client, base, c, selectIndexing(['login'], `${id}w-`)[0]!, records, r.configuration.opensearch.bulkMaxDocs, r.configuration.opensearch.bulkConcurrency, r.configuration.opensearch.refreshInterval, stack.pid('opensearch'));
      log(`  ${r.ceilings.bulk.docsPerSec.toFixed(0)} docs/s`);
      await readIndexSettings(client, c.index.alias, r.configuration);
      log('ceiling: Kafka ProducerPerformance');
      r.ceilings.kafkaProducer = await kafkaProducerPerf(stack.brokers, c.topics.inputs[0]!, records, o.events);
      log(`  ${r.ceilings.kafkaProducer.recordsPerSec.toFixed(0)} rec/s`);
      log('ceiling: Kafka ConsumerPerformance');
      r.ceilings.kafkaConsumer = await kafkaConsumerPerf(stack.brokers, c.topics.inputs[0]!, o.events, r.ceilings.kafkaProducer.recordBytes);
      log(`  ${r.ceilings.kafkaConsumer.recordsPerSec.toFixed(0)} rec/s`);
    }
    const s = `${id}s-`;
    if (has('stages') || has('memory')) {
      r.stages = {};
      await loginChainIn(s, stack.brokers);
      log('stage: producer alone');
      r.stages.producer = await producerAlone(stack, s, o.events, o.seed);
      log(`  ${r.stages.producer.eventsPerSec.toFixed(0)} ev/s`);
      log('stage: processor alone');
      r.stages.processor = await processorAlone(stack, s, o.events);
      log(`  ${r.stages.processor.eventsPerSec.toFixed(0)} ev/s`);
      if (has('stages')) {
        log('stage: indexer alone');
        r.stages.indexer = await indexerAlone(stack, s, o.events);
        log(`  ${r.stages.indexer.eventsPerSec.toFixed(0)} ev/s`);
        if (!r.configuration.opensearch.shards) await readIndexSettings(client, selectIndexing(['login'], s)[0]!.index.alias, r.configuration);
      }
    }
    if (has('stages') || has('latency')) {
      const e = `${id}e-`;
      const chain = await loginChainIn(e, stack.brokers);
      let pipeline: Pipeline | undefined;
      try {
        pipeline = await startPipeline(stack, e);
        let indexed = 0;
        if (has('stages') || o.maxRate === undefined) {
          log('end to end at full speed');
          r.stages ??= {};
          r.stages.endToEnd = await endToEnd(stack, pipeline, e, o.events, o.seed);
          indexed += o.events;
          log(`  ${r.stages.endToEnd.eventsPerSec.toFixed(0)} ev/s, cores busy ${(r.stages.endToEnd.usage.machineBusy * 100).toFixed(0)} %`);
        }
        r.maxRate = o.maxRate ?? r.stages!.endToEnd!.eventsPerSec;
        if (has('latency')) {
          log(`latency at ${LATENCY_SHARES.map((x) => x * 100).join(', ')} % of ${r.maxRate.toFixed(0)} ev/s, ${o.durationS} s each`);
          r.latency = await latencyPhases(stack, client, pipeline, e, chain.index.alias, r.maxRate, LATENCY_SHARES, o.durationS, o.seed, indexed);
          for (const p of r.latency) log(`  ${p.share * 100} %: p99 ${p.total.p99} ms`);
        }
      } finally {
        await pipeline?.stop();
      }
    }
    if (has('fields')) {
      log('field groups: raw _bulk with each group display-only');
      r.fields = await fieldCosts(client, base, id, records, r.configuration.opensearch.bulkMaxDocs, r.configuration.opensearch.bulkConcurrency, r.configuration.opensearch.refreshInterval, stack.pid('opensearch'), log);
    }
    if (has('peers')) r.peers = await peersComparison(stack, client, id, o.events, o.seed, o.rounds, log);
    if (has('analytics')) r.analytics = await analyticsComparison(stack, client, id, o.events, o.seed, log);
    if (has('health')) r.health = await healthComparison(stack, client, id, o.events, o.seed, log);
    if (has('guarantee')) r.guarantee = await guaranteeComparison(stack, client, id, o.events, o.seed, LATENCY_SHARES, o.durationS, log);
    if (has('memory')) {
      log(`memory: indexer while OpenSearch is down for ${o.outageS} s`);
      r.memory = { outage: await indexerOutage(stack, s, o.events, o.outageS) };
      log(`  peak RSS ${(r.memory.outage!.rssPeakDuringBytes / 2 ** 20).toFixed(0)} MiB`);
    }
  } finally {
    await client.close();
  }
}

async function main(argv: string[]): Promise<number> {
  let o: BenchOptions | 'help';
  try {
    o = parseBenchArgs(argv);
  } catch (err) {
    process.stderr.write(`${err instanceof ConfigError ? err.message : errorMessage(err)}\n${USAGE}\n`);
    return 2;
  }
  if (o === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const stack = new StackInstance({
    home: o.stackHome,
    kafkaPort: o.kafkaPort,
    kafkaControllerPort: o.kafkaPort + 1,
    openSearchPort: o.openSearchPort,
    openSearchTransportPort: o.openSearchPort + 100,
  });
  const quiet = await waitQuiet(o);
  if (!quiet.achieved) log(`the machine is not quiet (load ${quiet.loadAvg1}, other stacks: ${quiet.otherStacks.join(', ') || 'none'}): measuring anyway`);
  const r: BenchResult = {
    quiet,
    startedAt: new Date().toISOString(),
    command: `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`,
    options: o,
    machine: describeMachine(o.stackHome),
    configuration: describeConfiguration(process.env),
    errors: [],
  };
  if (r.machine.otherStacks.length) log(`other stack instances are running (${r.machine.otherStacks.join(', ')}): figures will carry their noise`);
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
    log('interrupted: stopping services and the stack');
    void stopAll();
    // Without its servers the phase under way fails at its next request, instead of running
    // to its end (a raw _bulk phase starts no service that stopAll could stop).
    if (!o.keepStack) void stack.down().catch(() => undefined);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await stack.up();
    await run(o, r, stack);
  } catch (err) {
    r.errors.push(errorMessage(err));
    log(`failed: ${errorMessage(err)}`);
  } finally {
    await stopAll();
    if (!o.keepStack) await stack.down().catch((err: unknown) => r.errors.push(`stack down: ${errorMessage(err)}`));
  }
  r.finishedAt = new Date().toISOString();
  r.targets = evaluateTargets(r);
  mkdirSync(dirname(o.out), { recursive: true });
  writeFileSync(o.out, `${JSON.stringify(r, null, 2)}\n`);
  process.stdout.write(`${renderReport(r, r.targets)}\n\nresults: ${relative(ROOT, o.out)}\n`);
  return r.errors.length > 0 || interrupted ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`bench: ${errorMessage(err)}\n`);
      process.exit(1);
    },
  );
}
