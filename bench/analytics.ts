import type { Client } from '@opensearch-project/opensearch';
import { countDocs, type StackInstance } from '../harness';
import { analyticsTopics } from '../pipeline/admin/topics';
import { selectAnalytics } from '../pipeline/chains/analytics';
import { KafkaAdmin } from '../pipeline/kafka';
import { sleep } from '../pipeline/retry';
import { loginChainIn, PARTITIONS, runProducer, stopService, waitForCount } from './services';
import { cpuPerEvent, sampler, serviceEnv, startJoined, type EndToEndResult } from './stages';

export const ANALYTICS_WINDOWED = 'streamdex_analytics_records_total';

export interface AnalyticsComparison {
  /** Processor and indexer only. */
  readonly without: EndToEndResult;
  /** Processor, indexer (indexing aggregates and alerts too) and the analytics stage. */
  readonly with: EndToEndResult;
  /** First simulated event time of both runs. */
  readonly startTime: string;
}

/**
 * The same events end to end at full speed twice, without and with the analytics stage, each
 * on fresh topics and index. Both runs end when the raw index holds every event (the same
 * rule for both: the indexer's counter would count aggregates too); with the stage, also
 * when it has taken every event into its windows. Event times are simulated (a login every
 * ~100 ms from hours ago), as a real login stream's are: clock-stamped events at full speed
 * would put each user's logins seconds apart and turn every user into a login burst.
 */
export async function analyticsComparison(stack: StackInstance, client: Client, id: string, events: number, seed: number, log: (msg: string) => void): Promise<AnalyticsComparison> {
  const startTime = new Date(Math.floor((Date.now() - events * 200 - 3_600_000) / 60_000) * 60_000).toISOString();
  log('end to end at full speed without analytics');
  const without = await run(stack, client, `${id}a0-`, events, seed, startTime, false);
  log(`  ${without.eventsPerSec.toFixed(0)} ev/s`);
  log('end to end at full speed with analytics');
  const withStage = await run(stack, client, `${id}a1-`, events, seed, startTime, true);
  log(`  ${withStage.eventsPerSec.toFixed(0)} ev/s, analytics ${((withStage.cpuSecondsPerEvent.analytics ?? Number.NaN) * 1e6).toFixed(1)} CPU µs/event, peak RSS ${((withStage.usage.processes.analytics?.peakRssBytes ?? 0) / 2 ** 20).toFixed(0)} MiB`);
  return { without, with: withStage, startTime };
}

async function run(stack: StackInstance, client: Client, ns: string, events: number, seed: number, startTime: string, analytics: boolean): Promise<EndToEndResult> {
  const chain = await loginChainIn(ns, stack.brokers);
  if (analytics) {
    const admin = new KafkaAdmin({ brokers: [stack.brokers], clientId: 'streamdex-bench' });
    try {
      await admin.createTopics(analyticsTopics(selectAnalytics(['login'], ns), ns, PARTITIONS));
    } finally {
      admin.close();
    }
  }
  const env = serviceEnv(stack, ns, analytics ? { ANALYTICS: 'true' } : {});
  const services = await startJoined(env, analytics ? ['processor', 'indexer', 'analytics'] : ['processor', 'indexer']);
  try {
    const s = sampler(stack);
    for (const svc of services) s.track(svc.name, svc.pid);
    s.start();
    const t0 = performance.now();
    const produced = runProducer('producer', env, ['--rate', '0', '--count', String(events), '--seed', String(seed), '--start-time', startTime], (p) => s.track('producer', p.pid, true));
    const deadline = Date.now() + 600_000;
    const indexed = (async () => {
      for (;;) {
        const n = await countDocs(client, chain.index.alias);
        if (n >= events) return performance.now();
        if (Date.now() > deadline) throw new Error(`${chain.index.alias}: ${n} of ${events} documents after 10 min`);
        await sleep(200);
      }
    })();
    const windowed = analytics ? waitForCount(services[2]!, ANALYTICS_WINDOWED, events, 'outcome="windowed"').then((p) => p.doneAt) : Promise.resolve(0);
    const [summary, indexedAt, windowedAt] = await Promise.all([produced, indexed, windowed]);
    const usage = s.stop();
    if (summary.acked.valid !== events) throw new Error(`producer: ${summary.acked.valid} of ${events} acknowledged`);
    return { events, eventsPerSec: events / ((Math.max(indexedAt, windowedAt) - t0) / 1000), usage, cpuSecondsPerEvent: cpuPerEvent(usage, events) };
  } finally {
    await Promise.all(services.map((svc) => stopService(svc)));
  }
}
