import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { Faker, en } from '@faker-js/faker';
import { countDistinct, countDocs, headerOf, producerSummary, readTopic, runToEnd, type ProducerSummary, type StackInstance } from '../harness';
import { indexingWithNamespace } from '../pipeline/chains/indexing';
import { loginIndexing } from '../pipeline/chains/login/indexing';
import { DeadLetterHeader } from '../pipeline/core';
import { createOpenSearchClient } from '../pipeline/opensearch';
import { faultMoments } from './faultMoments';
import { fitsFloat } from './fitsFloat';
import { measureAnalytics } from './measureAnalytics';
import { createNarrowedIndex } from './createNarrowedIndex';
import { writePoison, type PoisonResult } from './poison';
import { blockIndex, killLeader, rollingRestart, type BrokerFaultMeasured } from './brokerFaults';
import { FaultKind, Role, guaranteeOf, replicationEnv, type Scenario, type ServiceRole } from './scenarios';
import { Supervisor } from './supervisor';
import { jsonValue, valueAt } from './jsonValue';
import { processedSource, vanishedRecords } from './vanished';
import type { Measured } from './verdict';
import { describeLag, waitCaughtUp } from './waitCaughtUp';

export interface RunContext {
  readonly stack: StackInstance;
  readonly quick: boolean;
  readonly events: number;
  /** Producer events per second at load 1. */
  readonly rate: number;
  readonly partitions: number;
  readonly seed: number;
  readonly runId: string;
  readonly log: (line: string) => void;
  /** How long the pipeline may take to drain after the producer finished before the scenario fails. */
  readonly drainDeadlineMs: number;
}

/** A service is signalled only once it has run this long (see restart()). */
const MIN_AGE_BEFORE_SIGNAL_MS = 5_000;

/** A recovery measurement gives up after this (the final drain has its own deadline). */
const RECOVERY_DEADLINE_MS = 600_000;

/**
 * Runs one scenario end to end: fresh topics and index (own namespace), processor and
 * indexer as processes, the producer at a fixed rate, the fault while it runs; then waits
 * until both consumer groups have committed the end of their topics and counts.
 */
export async function runScenario(s: Scenario, ctx: RunContext): Promise<Measured> {
  const started = Date.now();
  const ns = `fault-${ctx.runId}-${s.id}-`;
  const chain = indexingWithNamespace(loginIndexing, ns);
  const input = chain.topics.inputs[0]!;
  const brokers = ctx.stack.brokers;
  const env = { KAFKA_BROKERS: brokers, OPENSEARCH_URL: ctx.stack.openSearchUrl, STREAMDEX_NAMESPACE: ns, CHAINS: 'login', TOPIC_PARTITIONS: String(ctx.partitions), PROCESSING_GUARANTEE: guaranteeOf(s), ...replicationEnv(ctx.stack.brokerCount), ...(s.analytics ? { ANALYTICS: 'true' } : {}) };
  const groups = { processor: `${ns}streamdex-processor`, indexer: `${ns}streamdex-indexer` };
  const os = createOpenSearchClient({ url: ctx.stack.openSearchUrl, requestTimeoutMs: 120_000 });
  const rng = new Faker({ locale: [en] });
  rng.seed(ctx.seed);
  const faultLog: string[] = [`seed ${ctx.seed}`];
  const note = (line: string) => {
    faultLog.push(`+${((Date.now() - started) / 1000).toFixed(1)}s ${line}`);
    ctx.log(`  ${s.id}: ${line}`);
  };

  const admin = await runToEnd('admin', { env, args: ['create-topics'] });
  if (admin.code !== 0) throw new Error(`admin create-topics exited ${admin.code}:\n${admin.process.tail()}`);
  if (s.fault.kind === FaultKind.REJECT) {
    note(`restarting OpenSearch with "${s.fault.openSearchSettings}"`);
    await ctx.stack.down('opensearch');
    await ctx.stack.up('opensearch', s.fault.openSearchSettings);
    await createNarrowedIndex(os, chain.index, s.fault.narrowedField, 'float');
    note(`index ${chain.index.initialIndex} created with ${s.fault.narrowedField} as float`);
  }

  // Every service's whole output is kept, so a scenario that fails can be read afterwards.
  const logDir = process.env.FAULT_LOG_DIR ?? join(ctx.stack.config.home, 'service-logs');
  const sup = new Supervisor({ ...env, ...(s.serviceEnv ?? {}) }, logDir ? { dir: logDir, prefix: ns } : undefined);
  const recovery = new RecoveryClock(brokers, groups, { input, output: chain.topics.output }, ctx.partitions);
  const termExits: Measured['termExits'][number][] = [];
  let outageRss: number | undefined;
  let brokerFault: BrokerFaultMeasured | undefined;
  let poison: PoisonResult = { valid: 0, poison: 0, refusedByBroker: 0 };
  let summary: ProducerSummary | undefined;
  const times = s.analytics ? analyticsTimes(ctx.events) : undefined;
  try {
    sup.start(Role.PROCESSOR);
    sup.start(Role.INDEXER);
    if (s.analytics) sup.start(Role.ANALYTICS);
    const rate = Math.round(ctx.rate * s.load);
    const durationMs = (ctx.events / rate) * 1000;
    const injection = s.analytics && times
      ? ['--start-time', new Date(times.startMs).toISOString(), '--inject-login-bursts', String(ctx.quick ? s.analytics.loginBursts.quick : s.analytics.loginBursts.full), '--inject-travels', String(ctx.quick ? s.analytics.travels.quick : s.analytics.travels.full), '--burst-size', String(s.analytics.burstSize)]
      : [];
    const producer = sup.start(Role.PRODUCER, ['--chain', 'login', '--rate', String(rate), '--count', String(ctx.events), '--malformed-ratio', String(s.malformedRatio), '--seed', String(ctx.seed), '--progress-seconds', '10', ...injection]);
    note(`producing ${ctx.events} events at ${rate}/s (~${Math.round(durationMs / 1000)} s), ${s.malformedRatio * 100}% malformed`);
    const t0 = Date.now();
    const at = (fraction: number) => sleep(Math.max(0, t0 + fraction * durationMs - Date.now()));

    const restart = async (role: ServiceRole, signal: NodeJS.Signals) => {
      const victim = sup.instances(role)[0];
      if (!victim) throw new Error(`no running ${role} to signal`);
      // A service restarted moments ago may still be loading its modules, before its signal
      // handlers exist: a SIGTERM then kills it like SIGKILL, which tests nothing new.
      await sleep(Math.max(0, victim.startedAt + MIN_AGE_BEFORE_SIGNAL_MS - Date.now()));
      const exit = await sup.signal(victim, signal);
      if (signal === 'SIGTERM') termExits.push({ who: victim.name, ...exit });
      sup.start(role);
      note(`${signal} ${victim.name} (exit ${exit.code ?? 'signal'} after ${exit.ms} ms), restarted`);
    };

    const f = s.fault;
    switch (f.kind) {
      case FaultKind.SIGNAL: {
        const n = ctx.quick ? f.times.quick : f.times.full;
        let lastRestart = 0;
        for (const moment of faultMoments(n, () => rng.number.float(), 0.1, 0.85)) {
          await at(moment);
          await sleep(Math.max(0, lastRestart + (f.minGapMs ?? 0) - Date.now()));
          await Promise.all(f.roles.map((role) => restart(role, f.signal)));
          lastRestart = Date.now();
          recovery.faultEnded();
        }
        break;
      }
      case FaultKind.OUTAGE: {
        const downMs = ctx.quick ? f.downMs.quick : f.downMs.full;
        await at(0.25);
        note(`stopping ${f.server} for ${downMs / 1000} s`);
        // The memory bound is about OpenSearch being down (documents pile up in the indexer).
        if (f.server === 'opensearch') sup.openWindow(Role.INDEXER);
        await ctx.stack.down(f.server);
        await sleep(downMs);
        await ctx.stack.up(f.server);
        outageRss = sup.closeWindow();
        note(`${f.server} is back${outageRss === undefined ? '' : `; indexer peak RSS while it was down ${Math.round(outageRss / 1048576)} MB`}`);
        recovery.faultEnded();
        break;
      }
      case FaultKind.SCALE: {
        await at(0.15);
        for (let i = 1; i < f.to; i++) {
          sup.start(Role.PROCESSOR);
          sup.start(Role.INDEXER);
        }
        note(`scaled to ${f.to} processors and ${f.to} indexers`);
        // The new members need a few seconds to start and join (the group's initial
        // rebalance delay is 3 s): scaling back sooner would not test a rebalance at all.
        const up = Date.now();
        await at(0.6);
        await sleep(Math.max(0, up + 12_000 - Date.now()));
        const victims = [...sup.instances(Role.PROCESSOR).slice(0, f.to - 1), ...sup.instances(Role.INDEXER).slice(0, f.to - 1)];
        const exits = await Promise.all(victims.map(async (v) => ({ who: v.name, ...(await sup.signal(v, 'SIGTERM')) })));
        termExits.push(...exits);
        note(`scaled back to 1 + 1 by SIGTERM: ${exits.map((e) => `${e.who} exit ${e.code} in ${e.ms} ms`).join(', ')}`);
        recovery.faultEnded();
        break;
      }
      case FaultKind.POISON: {
        await at(0.3);
        poison = await writePoison(brokers, input, ctx.partitions);
        note(`poison written: ${poison.poison} broken, ${poison.valid} valid with odd headers, ${poison.refusedByBroker} refused by the broker`);
        recovery.faultEnded();
        break;
      }
      case FaultKind.REJECT:
        break;
      case FaultKind.LEADER_KILL:
      case FaultKind.ROLLING_RESTART: {
        await at(f.kind === FaultKind.LEADER_KILL ? 0.3 : 0.1);
        const topics = [input, chain.topics.output, chain.topics.deadLetter];
        const b = { stack: ctx.stack, topics, input, partitions: ctx.partitions, note };
        brokerFault = f.kind === FaultKind.LEADER_KILL ? await killLeader(b, ctx.quick ? f.downMs.quick : f.downMs.full, Math.round(ctx.events * 0.15)) : await rollingRestart(b, () => producer.child.exitCode === null && producer.child.signalCode === null);
        recovery.faultEnded();
        break;
      }
      case FaultKind.INDEX_BLOCK:
        await at(0.25);
        await blockIndex(os, chain.index.alias, ctx.quick ? f.blockedMs.quick : f.blockedMs.full, note);
        recovery.faultEnded();
        break;
    }

    const code = await producer.exited;
    summary = producerSummary(producer);
    note(`producer done (exit ${code}): ${JSON.stringify(summary)}`);
    let closers: ProducerSummary | undefined;
    if (times) {
      // Later logins on every partition move the watermarks past every window of the run.
      const p = sup.start(Role.PRODUCER, ['--chain', 'login', '--rate', '0', '--count', String(CLOSING_EVENTS), '--seed', String(ctx.seed + 1), '--start-time', new Date(times.closersMs).toISOString()]);
      const closersCode = await p.exited;
      closers = producerSummary(p);
      note(`window-closing events sent (exit ${closersCode}): ${closers.acked.valid} valid, ${closers.failed} failed`);
    }

    const waiting = setInterval(() => ctx.log(`  ${s.id}: waiting for the pipeline to catch up (${Math.round((Date.now() - t0) / 1000)} s since start)`), 15_000);
    const caughtUp = await waitCaughtUp(brokers, groups, { input, output: chain.topics.output }, ctx.partitions, Date.now() + ctx.drainDeadlineMs).finally(() => clearInterval(waiting));
    // A fault the pipeline never recovered from must not hold the suite for the probe's own deadline.
    if (!caughtUp) recovery.cancel();
    const recoveryMs = await recovery.settle();
    const lag = await describeLag(brokers, groups, { input, output: chain.topics.output }, ctx.partitions).catch((err: unknown) => `lag unknown: ${String(err)}`);
    note(caughtUp ? 'caught up; counting' : `NOT caught up before the deadline (${lag}); counting anyway`);

    const alias = chain.index.alias;
    const docs = await countDocs(os, alias);
    const distinctIds = await countDistinct(os, alias, ['event_id']);
    const distinctSources = await countDistinct(os, alias, ['source.partition', 'source.offset']);
    const dlq = { raw: 0, distinct: 0, processorDistinct: 0, indexerDistinct: 0 };
    const seen = new Map<string, string>();
    // Input records a processed record or a processor dead letter came from.
    const accounted = new Set<string>();
    dlq.raw = await readTopic(brokers, chain.topics.deadLetter, ctx.partitions, (m) => {
      const partitionOffset = `${headerOf(m, DeadLetterHeader.SOURCE_PARTITION)}/${headerOf(m, DeadLetterHeader.SOURCE_OFFSET)}`;
      const stage = headerOf(m, DeadLetterHeader.STAGE) ?? '?';
      seen.set(`${headerOf(m, DeadLetterHeader.SOURCE_TOPIC)}/${partitionOffset}`, stage);
      if (stage === 'processor') accounted.add(partitionOffset);
    });
    dlq.distinct = seen.size;
    for (const stage of seen.values()) {
      if (stage === 'processor') dlq.processorDistinct++;
      else if (stage === 'indexer') dlq.indexerDistinct++;
    }
    const analytics = times && summary
      ? await measureAnalytics({ os, brokers, ns, partitions: ctx.partitions, rawIndex: alias, closedBeforeMs: times.closersMs, summary }, Date.now() + ANALYTICS_DEADLINE_MS)
      : undefined;
    const ids = new Set<string>();
    let expectedRejected = 0;
    const narrowed = s.fault.kind === FaultKind.REJECT ? s.fault.narrowedField.split('.') : undefined;
    const processedRaw = await readTopic(brokers, chain.topics.output, ctx.partitions, (m) => {
      const id = headerOf(m, 'event-id') ?? '';
      const doc = jsonValue(m.value);
      if (narrowed && !ids.has(id) && !fitsFloat(valueAt(doc, narrowed))) expectedRejected++;
      ids.add(id);
      const source = processedSource(doc);
      if (source) accounted.add(source);
    });
    const vanished = await vanishedRecords(brokers, input, ctx.partitions, accounted);
    if (vanished.count > 0) note(`${vanished.count} input record(s) reached neither the processed topic nor a dead letter, e.g. ${vanished.examples.join('; ')}`);
    if (s.fault.kind === FaultKind.REJECT) {
      // Restored before the next scenario, whatever happens: the tiny pool would fail it.
      note('restoring OpenSearch default settings');
      await ctx.stack.down('opensearch');
      await ctx.stack.up('opensearch');
    }
    return {
      produced: { valid: summary.acked.valid + (closers?.acked.valid ?? 0), malformed: summary.acked.malformed, failed: summary.failed + (closers?.failed ?? 0) },
      raw: poison,
      docs,
      distinctIds,
      distinctSources,
      dlq,
      processed: { raw: processedRaw, distinct: ids.size },
      vanished,
      ...(narrowed ? { expectedRejected } : {}),
      retried429: sup.retried429,
      peakRss: { ...sup.peakRss },
      ...(outageRss !== undefined ? { outageRss } : {}),
      recoveryMs,
      unexpectedExits: [...sup.unexpectedExits],
      termExits,
      caughtUp,
      lag,
      faultLog,
      elapsedMs: Date.now() - started,
      brokers: ctx.stack.brokerCount,
      ...(brokerFault ? { brokerFault } : {}),
      ...(analytics ? { analytics } : {}),
    };
  } finally {
    recovery.cancel();
    await sup.stopAll();
    await os.indices.delete({ index: `${ns}*` }).catch(() => undefined);
    await os.close();
  }
}

/** Logins after the run whose event times close all of its windows (enough to reach every partition). */
const CLOSING_EVENTS = 600;
/** How long the analytics outputs may take to agree with the raw index once the pipeline caught up. */
const ANALYTICS_DEADLINE_MS = 180_000;

/**
 * Event times of an analytics scenario: the run from far enough in the past that the
 * producer never waits for the clock (a login every 0-200 ms of simulated time), the closing
 * events an hour after its last possible event, beyond the longest window plus lateness.
 */
function analyticsTimes(events: number): { startMs: number; closersMs: number } {
  const minute = 60_000;
  const spanMs = events * 200;
  const startMs = Math.floor((Date.now() - spanMs - 2 * 3_600_000) / minute) * minute;
  return { startMs, closersMs: Math.ceil((startMs + spanMs + 3_600_000) / minute) * minute };
}

/**
 * Recovery time of a fault: from its end (service restarted, server answering again) until
 * everything that was in Kafka at that moment has been committed by both consumer groups
 * (see waitCaughtUp). A fault that comes before the previous one recovered ends that
 * measurement (null: not measurable, the faults overlapped).
 */
class RecoveryClock {
  private readonly results: Array<Promise<number | null>> = [];
  private current: { cancelled: boolean } | undefined;

  constructor(
    private readonly brokers: string,
    private readonly groups: { processor: string; indexer: string },
    private readonly topics: { input: string; output: string },
    private readonly partitions: number,
  ) {}

  faultEnded(): void {
    if (this.current) this.current.cancelled = true;
    const token = { cancelled: false };
    this.current = token;
    const t0 = Date.now();
    this.results.push(
      waitCaughtUp(this.brokers, this.groups, this.topics, this.partitions, t0 + RECOVERY_DEADLINE_MS, () => token.cancelled).then((ok) => (ok && !token.cancelled ? Date.now() - t0 : null)),
    );
  }

  settle(): Promise<Array<number | null>> {
    return Promise.all(this.results);
  }

  cancel(): void {
    if (this.current) this.current.cancelled = true;
  }
}
