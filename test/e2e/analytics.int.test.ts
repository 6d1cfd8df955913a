import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@opensearch-project/opensearch';
import { aggregatedWindowCounts, compareWindowCounts, eventually, rawWindowCounts, runToEnd, signalProcess, startService, type ProducerSummary, type RunningProcess } from '../../harness';
import { ALERTS_TOPIC, analyticsWithNamespace } from '../../pipeline/chains/analytics';
import { alertsIndexing, aggregatesIndexing, ANALYTICS_DEAD_LETTER_TOPIC } from '../../pipeline/chains/analyticsIndexing';
import { loginAnalytics } from '../../pipeline/chains/login/analytics';
import { KafkaAdmin } from '../../pipeline/kafka';
import { KAFKA_BROKERS, OPENSEARCH_URL, uniqueName } from '../helpers/env';
import { useTopics } from '../helpers/kafka';
import { useOpenSearch } from '../helpers/opensearch';

/**
 * The analytics stage on the real stack, between the real processor and indexer: a login
 * stream with injected anomalies, the stage SIGKILLed mid-window and restarted. Every
 * closed window's aggregate must equal the count over the raw index, and the alerts index
 * must hold exactly the injected anomalies, each once.
 */
const ns = `${uniqueName('e2e-analytics')}-`;
const chain = analyticsWithNamespace(loginAnalytics, ns);
const aggregates = aggregatesIndexing(loginAnalytics, ns).index.alias;
const alerts = alertsIndexing(ns).index.alias;
const raw = `${ns}streamdex-login`;
const env = {
  KAFKA_BROKERS: KAFKA_BROKERS.join(','),
  OPENSEARCH_URL,
  STREAMDEX_NAMESPACE: ns,
  CHAINS: 'login',
  TOPIC_PARTITIONS: '3',
  ANALYTICS: 'true',
  INDEX_REFRESH_INTERVAL: '500ms',
  // Two producers run side by side (below): their event times interleave on every partition
  // up to a couple of minutes apart (the second starts a moment later), which this lateness
  // takes in, so windows straddle the commit offsets.
  ANALYTICS_ALLOWED_LATENESS_SECONDS: '120',
  // The travel rule's 10 min window would hold the whole run open (and the commit at its start).
  ALERT_TRAVEL_WINDOW_SECONDS: '60',
  // Dead-letter spikes are counted in record-time windows of 10 s, closed 2 s after their end.
  ALERT_DEAD_LETTER_WINDOW_SECONDS: '10',
  ANALYTICS_RECORD_LATENESS_SECONDS: '2',
};
const SPIKE_WINDOW_MS = 10_000;
const topics = useTopics();
const search = useOpenSearch();
search.cleanup(`${ns}*`);
const running: RunningProcess[] = [];
const start = (which: 'processor' | 'indexer' | 'analytics') => {
  const p = startService(which, { env });
  running.push(p);
  return p;
};

afterAll(async () => {
  await Promise.all(running.map((p) => signalProcess(p, 'SIGTERM')));
  const all = [...chain.topics.inputs, chain.topics.output, chain.topics.deadLetter, chain.analytics.aggregatesTopic, ns + ALERTS_TOPIC, ns + ANALYTICS_DEAD_LETTER_TOPIC];
  // An admin of its own: useTopics' hook, registered before this one, has closed its admin by now.
  const admin = new KafkaAdmin({ brokers: KAFKA_BROKERS, clientId: 'streamdex-test' });
  await admin.deleteTopics(all).catch(() => undefined);
  admin.close();
});

async function produce(args: string[]): Promise<ProducerSummary> {
  const r = await runToEnd('producer', { env, args: ['--chain', 'login', ...args] });
  expect(r.code).toBe(0);
  return JSON.parse(r.lastLine) as ProducerSummary;
}

async function refresh(os: Client): Promise<void> {
  await os.indices.refresh({ index: `${ns}*` }).catch(() => undefined);
}

describe('the analytics stage on the real stack', () => {
  let summary: ProducerSummary;
  const startMs = Math.floor((Date.now() - 3_600_000) / 60_000) * 60_000;
  const closersMs = startMs + 30 * 60_000;

  it('creates its topics with the admin command', async () => {
    const r = await runToEnd('admin', { env, args: ['create-topics'] });
    expect(r.code).toBe(0);
    expect(await topics.admin().listTopics()).toEqual(expect.arrayContaining([chain.analytics.aggregatesTopic, ns + ALERTS_TOPIC]));
  });

  it('writes exact aggregates and exactly the injected alerts, although the stage is killed mid-window', async () => {
    start('processor');
    start('indexer');
    let analytics = start('analytics');
    // ~10 minutes of event time (a login every ~100 ms) at 500 records a second, from an hour
    // ago, and beside it a second stream of other users two seconds behind: out of order on
    // every partition, so a crash leaves closed windows with records on both sides of the commit.
    const producing = produce([
      '--rate', '500', '--count', '6000', '--seed', '11', '--start-time', new Date(startMs).toISOString(),
      '--inject-login-bursts', '3', '--inject-travels', '3', '--inject-every', '800', '--burst-size', '15',
    ]);
    const beside = produce(['--rate', '500', '--count', '6000', '--seed', '21', '--start-time', new Date(startMs + 2000).toISOString()]);
    // Mid-run, when the first windows are written and later ones open on every partition:
    // commits are below the first record of each open window.
    await sleep(6000);
    await signalProcess(analytics, 'SIGKILL');
    analytics = start('analytics');
    summary = await producing;
    const second = await beside;
    expect(summary.failed + second.failed).toBe(0);
    expect(summary.injected?.map((a) => a.rule).sort()).toEqual(['impossible_travel', 'impossible_travel', 'impossible_travel', 'login_burst', 'login_burst', 'login_burst']);
    // Once more after the replacement took over (the dead member's session ends after 10 s)
    // and rebuilt its windows from the checkpoints: killed again with those windows open.
    await sleep(14_000);
    await signalProcess(analytics, 'SIGKILL');
    analytics = start('analytics');
    // Dead-letter spikes: 100 records that are not JSON, one record time each, among ~50 logins
    // a second (~170 per partition in a 10 s window): a share of ~37 % of their partition's window.
    // Nothing else in the whole test is malformed, so no other window has a dead letter.
    const spiking = await produce([
      '--rate', '50', '--count', '1500', '--seed', '13', '--start-time', new Date(startMs + 20 * 60_000).toISOString(),
      '--inject-dead-letter-spikes', '2', '--inject-every', '600', '--spike-size', '100',
    ]);
    expect(spiking.failed).toBe(0);
    const spikes = spiking.injected ?? [];
    expect(spikes.map((a) => [a.rule, a.dead_letters])).toEqual([['dead_letter_spike', 100], ['dead_letter_spike', 100]]);
    expect(spiking.acked.malformed).toEqual({ dead_letter_spike: 200 });
    // The record-time windows close with later records (wall clock) on every partition.
    await sleep(SPIKE_WINDOW_MS + 3000);
    // Later logins on every partition move the watermarks past every window of the run above.
    const closers = await produce(['--rate', '0', '--count', '600', '--seed', '12', '--start-time', new Date(closersMs).toISOString()]);
    expect(closers.failed).toBe(0);

    const os = search.client();
    const expectedRaw = summary.acked.valid + second.acked.valid + spiking.acked.valid;
    // Every closed window, 10 s and 1 min, in total and per country (every value, `none` for
    // an address with none), against the raw index: the harness the fault suite counts with.
    const comparisons: Array<[number, string | undefined]> = [[10, undefined], [60, undefined], [10, 'country'], [60, 'country']];
    const progress = async () => {
      await refresh(os);
      const out = [];
      for (const [sizeSeconds, dimension] of comparisons) {
        const r = await rawWindowCounts(os, { index: raw, timeField: 'event_time', sizeSeconds, beforeMs: closersMs, ...(dimension ? { field: 'geo.country' } : {}) });
        const a = await aggregatedWindowCounts(os, { index: aggregates, sizeSeconds, beforeMs: closersMs, ...(dimension ? { dimension } : {}) });
        out.push({ sizeSeconds, dimension: dimension ?? 'all', ...compareWindowCounts(r, a) });
      }
      return out;
    };
    const exact = (p: Awaited<ReturnType<typeof progress>>) => p.every((c) => c.differingCount === 0 && c.windows > 0) && p[0]!.raw === expectedRaw;
    await eventually(progress, exact, 120_000, 'every closed window aggregated exactly').catch((err: Error) => {
      throw new Error(`${err.message}\n${running.map((p) => `${p.name}:\n${p.tail(15)}`).join('\n')}`);
    });
    // Settled: a replayed window written late would overwrite with the same value, never another.
    await sleep(3000);
    const settled = await progress();
    expect(settled.map((c) => c.differing)).toEqual(comparisons.map(() => []));
    expect(settled.map((c) => c.raw)).toEqual(comparisons.map(() => expectedRaw));
    expect(settled.map((c) => c.aggregated)).toEqual(comparisons.map(() => expectedRaw));
    // Several countries per window: the per-value comparison is not one value standing for all.
    expect(settled[3]!.windows).toBeGreaterThan(settled[1]!.windows * 3);
    // Nothing came late (one producer, event times in order per user), so nothing was left out.
    const late = await os.search({ index: aggregates, body: { size: 0, aggs: { l: { sum: { field: 'late_events' } } } } });
    expect((late.body as unknown as { aggregations: { l: { value: number } } }).aggregations.l.value).toBe(0);

    // Exactly the injected anomalies, each once; evidence names the injected countries.
    type Alert = { rule: string; key: string; window: { start: string }; evidence: { count: number; total?: number; from?: { place: string }; to?: { place: string } } };
    const spikeAlerts = () => os.search({ index: alerts, body: { size: 100, query: { term: { rule: 'dead_letter_spike' } } } }).then((r) => (r.body as unknown as { hits: { hits: Array<{ _source: Alert }> } }).hits.hits.map((h) => h._source));
    const spikeWindow = (iso: string) => new Date(Math.floor(Date.parse(iso) / SPIKE_WINDOW_MS) * SPIKE_WINDOW_MS).toISOString();
    const expectedSpikes = spikes.map((a) => [spikeWindow(a.event_time), 100]).sort();
    await eventually(async () => (await refresh(os), (await spikeAlerts()).length), (n) => n >= spikes.length, 30_000, 'the spike windows closed');
    const spikeDocs = await spikeAlerts();
    expect(spikeDocs.map((d) => [d.window.start, d.evidence.count]).sort()).toEqual(expectedSpikes);
    // The share's denominator is the partition's processed records of the window: more than none, few enough for the share.
    for (const d of spikeDocs) expect(d.evidence.total! - d.evidence.count).toBeGreaterThan(0);
    for (const d of spikeDocs) expect(d.evidence.count / d.evidence.total!).toBeGreaterThan(0.2);
    const found = await os.search({ index: alerts, body: { size: 100, query: { bool: { must_not: [{ term: { rule: 'dead_letter_spike' } }] } } } });
    const docs = (found.body as unknown as { hits: { hits: Array<{ _id: string; _source: Alert }> } }).hits.hits;
    expect(docs.map((d) => `${d._source.rule} ${d._source.key}`).sort()).toEqual(summary.injected!.map((a) => `${a.rule} ${a.key}`).sort());
    for (const d of docs) {
      const injected = summary.injected!.find((a) => a.key === d._source.key)!;
      if (d._source.rule === 'login_burst') expect(d._source.evidence.count).toBe(15);
      else expect([d._source.evidence.from?.place, d._source.evidence.to?.place]).toEqual(injected.countries);
    }
    // SIGTERM with windows open (the closers' own): the stage stops fetching, has nothing written
    // unconfirmed, commits and leaves at once; it does not wait out the drain for records that
    // only more input could release.
    const stop = await signalProcess(analytics, 'SIGTERM');
    expect(stop.code).toBe(0);
    expect(stop.ms).toBeLessThan(2500);
  });
});
