import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@opensearch-project/opensearch';
import { eventually, runToEnd, signalProcess, startService, type ProducerSummary, type RunningProcess } from '../../harness';
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

type Buckets = Map<string, number>;

/** Raw events per window (date_histogram on event_time is aligned to the epoch, as the windows are). */
async function rawPerWindow(os: Client, sizeSeconds: number, beforeMs: number, country?: string): Promise<Buckets> {
  const filter: object[] = [{ range: { event_time: { lt: new Date(beforeMs).toISOString() } } }];
  if (country) filter.push({ term: { 'geo.country': country } });
  const r = await os.search({
    index: raw,
    body: <Record<string, unknown>>{ size: 0, query: { bool: { filter } }, aggs: { w: { date_histogram: { field: 'event_time', fixed_interval: `${sizeSeconds}s`, min_doc_count: 1 } } } },
  });
  const buckets = (r.body as unknown as { aggregations: { w: { buckets: Array<{ key: number; doc_count: number }> } } }).aggregations.w.buckets;
  return new Map(buckets.map((b) => [String(b.key), b.doc_count]));
}

/** Aggregated events per window, summed over partitions. */
async function aggregatedPerWindow(os: Client, sizeSeconds: number, beforeMs: number, dimension = 'all', value = 'all'): Promise<Buckets> {
  const r = await os.search({
    index: aggregates,
    body: <Record<string, unknown>>{
      size: 0,
      query: {
        bool: {
          filter: [{ term: { 'window.size_seconds': sizeSeconds } }, { term: { dimension } }, { term: { value } }, { range: { 'window.end': { lte: new Date(beforeMs).toISOString() } } }],
        },
      },
      aggs: { w: { terms: { field: 'window.start', size: 10_000 }, aggs: { n: { sum: { field: 'count' } } } } },
    },
  });
  const buckets = (r.body as unknown as { aggregations: { w: { buckets: Array<{ key: number; n: { value: number } }> } } }).aggregations.w.buckets;
  return new Map(buckets.filter((b) => b.n.value > 0).map((b) => [String(b.key), b.n.value]));
}

async function refresh(os: Client): Promise<void> {
  await os.indices.refresh({ index: `${ns}*` }).catch(() => undefined);
}

const sorted = (m: Buckets) => [...m.entries()].sort(([a], [b]) => Number(a) - Number(b));

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
    // Every closed window, 10 s and 1 min, in total and per country, against the raw index.
    const comparisons: Array<[number, string, string]> = [[10, 'all', 'all'], [60, 'all', 'all'], ...['US', 'DE', 'IN'].map((c): [number, string, string] => [60, 'country', c])];
    const total = (m: Buckets) => [...m.values()].reduce((x, y) => x + y, 0);
    const progress = async () => {
      await refresh(os);
      const out = [];
      for (const [size, dimension, value] of comparisons) {
        const r = await rawPerWindow(os, size, closersMs, dimension === 'country' ? value : undefined);
        const a = await aggregatedPerWindow(os, size, closersMs, dimension, value);
        const differing = [...new Set([...r.keys(), ...a.keys()])].filter((k) => a.get(k) !== r.get(k)).map((k) => [new Date(Number(k)).toISOString(), r.get(k), a.get(k)]);
        out.push({ size, value, raw: total(r), aggregated: total(a), windows: r.size, differing: differing.slice(0, 5) });
      }
      return out;
    };
    const exact = (p: Awaited<ReturnType<typeof progress>>) => p.every((c) => c.differing.length === 0 && c.windows > 0) && p[0]!.raw === expectedRaw;
    await eventually(progress, exact, 120_000, 'every closed window aggregated exactly').catch((err: Error) => {
      throw new Error(`${err.message}\n${running.map((p) => `${p.name}:\n${p.tail(15)}`).join('\n')}`);
    });
    // Settled: a replayed window written late would overwrite with the same value, never another.
    await sleep(3000);
    const settled = await progress();
    expect(settled.map((c) => c.differing)).toEqual(comparisons.map(() => []));
    expect(settled[0]!.raw).toBe(expectedRaw);
    expect(settled[1]!.aggregated).toBe(expectedRaw);
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
