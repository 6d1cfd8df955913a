/**
 * Every panel of every chain's dashboard, run as the OpenSearch query Dashboards would
 * send, against documents that chain really produces: the chain's generator, through the
 * processor's pure core, into an index made from the chain's own template. A panel whose
 * field is never filled, mistyped or mapped differently than the dashboard assumes comes
 * back empty and fails here instead of on a screen.
 *
 * The analytics dashboards get the same traffic, processed, then through the analytics
 * stage's pure core (PartitionWindows, the chain's own dimensions and rules at their default
 * settings): the aggregates of every closed window, and the alerts raised on traffic with
 * anomalies injected as `producer --inject-*` injects them.
 *
 * Each dashboard gets a fresh index (test-dash-<name>-<random>) that afterAll deletes. Its
 * settings omit `default_pipeline`, so nothing is installed on the shared cluster: chain
 * documents go through the real ingest pipeline with `_simulate` instead (indexed_at,
 * latency_ms), before they are indexed.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@opensearch-project/opensearch';
import { AnalyticsOutput, ANALYTICS_DASHBOARDS, DASHBOARDS, dashboardIndex } from '../../dashboards/chains';
import { analyticsSettings } from '../../consumer-analytics/src/options';
import { PartitionWindows, eventTimeMs, streamSpecs, type AggregateDocument, type AlertDocument } from '../../pipeline/analytics';
import { ANALYTICS } from '../../pipeline/chains/analytics';
import { INDEXING } from '../../pipeline/chains/indexing';
import { PROCESSING } from '../../pipeline/chains/processing';
import { ChainName, type ProcessingContext } from '../../pipeline/chains/types';
import { loadConfig } from '../../pipeline/config';
import type { IndexSpec } from '../../pipeline/opensearch';
import { GENERATION, type GeneratedRecord } from '../../producer/src/chains';
import { injectAnomalies, type AnomalyOptions, type InjectedAnomaly } from '../../producer/src/anomalies';
import { corrupt, malformedKinds } from '../../producer/src/malformed';
import { deadLetterIndex } from '../../pipeline/chains/deadLetterIndex';
import { deadLetterDocument, processRecord, processRecordAll, toDeadLetter } from '../../pipeline/core';
import { createOpenSearchClient, INDEXED_AT_PIPELINE } from '../../pipeline/opensearch';
import { healthIndex } from '../../pipeline/health';
import { healthSamples } from './healthSamples';
import { checkResponse, loadSavedObjects, queryingVisualizations, toSearchBody } from './oracles';

const OPENSEARCH_URL = process.env.OPENSEARCH_URL || 'http://127.0.0.1:9200';
/**
 * Each index gets two batches of generated traffic:
 * - history: up to HISTORY_RECORDS records of a fixed day (fixed clock and seed, so every
 *   run indexes the same documents). Enough traffic for the rare pages (Upgrade, Cancel):
 *   300 records from a wall-clock start once held no upgrade at all and failed CI, because
 *   generators shape traffic by hour of day.
 * - live: up to LIVE_RECORDS records of the last hour before the real clock, for panels
 *   that compare "the last hour" with OpenSearch's own `now`.
 */
const HISTORY_RECORDS = 3000;
const HISTORY_END_MS = Date.UTC(2026, 10, 18, 15, 0, 0);
const LIVE_RECORDS = 300;
const HOUR_MS = 3_600_000;
const dashboardsDir = path.resolve(__dirname, '..', '..', 'dashboards');
/** Every facet of each chain a dashboard shows: its traffic, its processing, its index. */
const CHAINS = DASHBOARDS.map((d) => {
  const of = <F extends { name: string }>(registry: readonly F[]): F => registry.find((c) => c.name === d.name)!;
  return { name: d.name, dashboard: d.file, generator: of(GENERATION).generator, malformed: of(GENERATION).malformed, processing: of(PROCESSING), index: of(INDEXING).index };
});
type Chain = Pick<(typeof CHAINS)[number], 'name' | 'generator' | 'malformed' | 'processing'> & { readonly index: Pick<IndexSpec, 'template'> };

interface Batch {
  readonly seed: number;
  readonly startMs: number;
  /** The processor's clock; records later than it are not taken. */
  readonly nowMs: number;
  readonly maxRecords: number;
  /** Chains without an event id take the record's coordinates as document id: batches must not share them. */
  readonly partition: number;
}

function processingContext(nowMs: number): ProcessingContext {
  return { nowMs, ipMode: 'mask', ipHashSecret: undefined, currentAppVersion: '2.3.0', maxEventAgeMs: 10 * 365 * 86_400_000, maxFutureSkewMs: HOUR_MS };
}

/** Documents the processor's pure core emits for one batch of generated records (dead letters skipped), anomalies mixed in when asked. */
function produceDocuments(chain: Chain, batch: Batch, inject?: AnomalyOptions): { records: number; docs: Array<{ id: string; document: object }>; injected: InjectedAnomaly[] } {
  const ctx = processingContext(batch.nowMs);
  const generated = chain.generator({ seed: batch.seed, startTimeMs: batch.startMs });
  const injection = inject ? injectAnomalies(generated, inject) : undefined;
  const records: Iterator<GeneratedRecord> = injection ? injection.records : generated;
  const out: Array<{ id: string; document: object }> = [];
  let offset = 0;
  for (; offset < batch.maxRecords; offset++) {
    const next = records.next();
    if (next.done || next.value.eventTimeMs > batch.nowMs) break;
    const r = next.value;
    injection?.acked(r);
    const outcomes = processRecordAll(
      chain.processing,
      { topic: r.topic, partition: batch.partition, offset, key: r.key === null ? null : Buffer.from(r.key), value: r.value, headers: r.headers ?? [], timestamp: r.eventTimeMs },
      ctx,
      { maxRecordBytes: 65_536, filters: [] },
    );
    for (const outcome of outcomes) if (outcome.kind === 'ok') out.push({ id: outcome.id, document: outcome.document });
  }
  return { records: offset, docs: out, injected: injection?.injected() ?? [] };
}

/**
 * Dead-letter documents as the indexer writes them: every malformed kind the producer makes
 * of this chain's generated records, through the processor's core, `toDeadLetter` and
 * `deadLetterDocument`, as if each dead letter sat at its own offset of the chain's topic.
 */
function produceDeadLetters(chain: Chain, batch: Batch, perKind: number): Array<{ id: string; document: object }> {
  const ctx = processingContext(batch.nowMs);
  const kinds = malformedKinds(chain.malformed);
  const records = chain.generator({ seed: batch.seed + 1, startTimeMs: batch.startMs });
  const out: Array<{ id: string; document: object }> = [];
  let n = 0;
  for (; n < kinds.length * perKind; n++) {
    const next = records.next();
    if (next.done || next.value.eventTimeMs > batch.nowMs) break;
    const bad = corrupt(next.value, kinds[n % kinds.length]!, chain.malformed, (k) => n % k, batch.nowMs);
    const source = { topic: bad.topic, partition: batch.partition, offset: n, key: bad.key === null ? null : Buffer.from(bad.key), value: bad.value, headers: bad.headers ?? [], timestamp: bad.eventTimeMs };
    const outcome = processRecord(chain.processing, source, ctx, { maxRecordBytes: 65_536, filters: [] });
    if (outcome.kind !== 'dead') continue;
    const failedAt = Math.min(batch.nowMs, bad.eventTimeMs + 1000);
    const dl = toDeadLetter(source, outcome.reason, 'processor', chain.name, failedAt);
    out.push(deadLetterDocument({ ...dl, topic: `${chain.name}-dlq`, partition: 0, offset: out.length, timestamp: failedAt }, chain.name, '127.0.0.1:9092'));
  }
  return out;
}

/**
 * What the analytics stage writes for these processed documents of one partition: every
 * closed window's aggregates and alerts. A last input far past the batch moves the
 * watermark, as later traffic would, so every window of the batch closes; its own window
 * stays open and writes nothing.
 */
function analyse(chainName: ChainName, docs: ReadonlyArray<{ id: string; document: object }>, partition: number): { aggregates: AggregateDocument[]; alerts: AlertDocument[] } {
  const facet = ANALYTICS.find((c) => c.name === chainName)!;
  const settings = loadConfig(analyticsSettings, {});
  const { events } = streamSpecs(chainName, facet.analytics, {
    aggregateSizesMs: settings.ANALYTICS_WINDOWS.map((x: number) => x * 1000),
    allowedLatenessMs: settings.ANALYTICS_ALLOWED_LATENESS_SECONDS * 1000,
    settings,
  });
  const windows = new PartitionWindows(events, partition);
  const aggregates: AggregateDocument[] = [];
  const alerts: AlertDocument[] = [];
  const take = (closed: ReturnType<PartitionWindows['add']>['closed']) => {
    for (const c of closed) {
      aggregates.push(...c.aggregates);
      alerts.push(...c.alerts);
    }
  };
  let offset = 0;
  let last = 0;
  for (const d of docs) {
    const t = eventTimeMs(d.document, facet.analytics.eventTimeField);
    if (t === undefined) throw new Error(`processed ${chainName} document ${d.id} has no event time`);
    last = Math.max(last, t);
    take(windows.add({ offset: offset++, eventTimeMs: t, eventId: d.id, doc: d.document as Record<string, unknown> }).closed);
  }
  take(windows.add({ offset, eventTimeMs: last + 7 * 86_400_000, eventId: 'end', doc: {} }).closed);
  return { aggregates, alerts };
}

async function createIndex(client: Client, spec: Pick<IndexSpec, 'template'>, index: string): Promise<void> {
  const template = spec.template.template as { settings: Record<string, unknown>; mappings: Record<string, unknown> };
  const { default_pipeline: _pipeline, ...settings } = template.settings;
  await client.indices.create({ index, body: { settings, mappings: template.mappings } as never });
}

/** The documents as the indexer's default ingest pipeline leaves them, without installing it. */
async function throughIngestPipeline(client: Client, docs: ReadonlyArray<{ id: string; document: object }>): Promise<Array<{ id: string; document: object }>> {
  const out: Array<{ id: string; document: object }> = [];
  for (let i = 0; i < docs.length; i += 500) {
    const chunk = docs.slice(i, i + 500);
    const res = await client.ingest.simulate({ body: { pipeline: INDEXED_AT_PIPELINE.body, docs: chunk.map((d) => ({ _source: d.document })) } as never });
    const results = (res.body as unknown as { docs: Array<{ doc: { _source: object } }> }).docs;
    results.forEach((r, n) => out.push({ id: chunk[n]!.id, document: r.doc._source }));
  }
  return out;
}

async function bulkIndex(client: Client, index: string, docs: ReadonlyArray<{ id: string; document: object }>): Promise<void> {
  const body = docs.flatMap((d) => [{ index: { _index: index, _id: d.id } }, d.document]);
  const res = await client.bulk({ body, refresh: 'true' } as never);
  const result = res.body as { errors: boolean; items: Array<{ index?: { error?: unknown } }> };
  if (result.errors) {
    const first = result.items.find((i) => i.index?.error)?.index?.error;
    throw new Error(`bulk indexing into ${index} failed: ${JSON.stringify(first)}`);
  }
}

const client = createOpenSearchClient({ url: OPENSEARCH_URL, requestTimeoutMs: 30_000 });
const created: string[] = [];

afterAll(async () => {
  for (const index of created) await client.indices.delete({ index }).catch(() => undefined);
  await client.close();
});

describe.each(CHAINS.map((chain) => [chain.name, chain] as const))('the %s dashboard on real documents', (name, chain) => {
  const file = path.join(dashboardsDir, chain.dashboard);
  const panels = existsSync(file) ? queryingVisualizations(loadSavedObjects(file)) : [];
  const index = `test-dash-${name}-${randomBytes(4).toString('hex')}`;
  const nowMs = Date.now();
  const batches: Record<'history' | 'live', Batch> = {
    history: { seed: 20240917, startMs: HISTORY_END_MS - 24 * HOUR_MS, nowMs: HISTORY_END_MS, maxRecords: HISTORY_RECORDS, partition: 0 },
    live: { seed: 20240918, startMs: nowMs - HOUR_MS, nowMs, maxRecords: LIVE_RECORDS, partition: 1 },
  };
  const produced = { history: { records: 0, documents: 0 }, live: { records: 0, documents: 0 } };
  const deadLetters = `test-dash-deadletters-${name}-${randomBytes(4).toString('hex')}`;
  let deadLettered = 0;
  /** A chain whose document id is the user's (profiles) overwrites: the index holds one per id. */
  let distinctIds = 0;

  beforeAll(async () => {
    await createIndex(client, chain.index, index);
    created.push(index);
    const all: Array<{ id: string; document: object }> = [];
    for (const batch of ['history', 'live'] as const) {
      const { records, docs } = produceDocuments(chain, batches[batch]);
      produced[batch] = { records, documents: docs.length };
      all.push(...docs);
    }
    distinctIds = new Set(all.map((d) => d.id)).size;
    if (all.length > 0) await bulkIndex(client, index, await throughIngestPipeline(client, all));
    await createIndex(client, deadLetterIndex, deadLetters);
    created.push(deadLetters);
    const dead = produceDeadLetters(chain, batches.history, 20);
    deadLettered = dead.length;
    if (dead.length > 0) await bulkIndex(client, deadLetters, dead);
  });

  it('indexes dead letters of every malformed kind the producer makes, under the dead-letter template', async () => {
    expect(deadLettered).toBeGreaterThan(malformedKinds(chain.malformed).length * 10);
    const count = await client.count({ index: deadLetters });
    expect((count.body as { count: number }).count).toBe(deadLettered);
  });

  it(`has a dashboard file with panels that query the index (dashboards/${chain.dashboard})`, () => {
    expect(existsSync(file)).toBe(true);
    expect(panels.length).toBeGreaterThan(0);
  });

  it("indexes most generated records of a fixed day and of the last hour, processed by the real core, under the chain's template", async () => {
    expect(produced.history.records).toBeGreaterThan(HISTORY_RECORDS / 2);
    // The quietest hour of the night still carries some traffic in every chain.
    expect(produced.live.records).toBeGreaterThan(20);
    for (const { records, documents } of Object.values(produced)) expect(documents).toBeGreaterThan(records * 0.8);
    const count = await client.count({ index });
    expect((count.body as { count: number }).count).toBe(distinctIds);
  });

  if (panels.length === 0) return;
  it.each(panels.map((p) => [String(p.object.attributes.title), p] as const))('draws "%s" from those documents', async (_title, { object, vis }) => {
    const onDeadLetters = object.references.some((r) => r.type === 'index-pattern' && r.id === deadLetterIndex.alias);
    const timeField = onDeadLetters ? deadLetterIndex.timeField : chain.index.timeField;
    const body = toSearchBody(object, { timeField, timeRange: { gte: batches.history.startMs, lte: nowMs + HOUR_MS } });
    const res = await client.search({ index: onDeadLetters ? deadLetters : index, body: body as never });
    expect(checkResponse(vis, res.body)).toEqual([]);
  });
});

describe('the pipeline health dashboard on real samples', () => {
  const file = path.join(dashboardsDir, 'health.ndjson');
  const panels = queryingVisualizations(loadSavedObjects(file));
  const suffix = randomBytes(4).toString('hex');
  const healthTest = `test-dash-health-${suffix}`;
  const chainsTest = `test-dash-health-chains-${suffix}`;
  const login = CHAINS.find((c) => c.name === 'login')!;
  const nowMs = Date.now();
  let sampled = 0;

  beforeAll(async () => {
    const template = healthIndex().template.template as { settings: Record<string, unknown>; mappings: Record<string, unknown> };
    await client.indices.create({ index: healthTest, body: template as never });
    created.push(healthTest);
    const records = await healthSamples(nowMs - 30 * 60_000, 12);
    sampled = records.length;
    await bulkIndex(client, healthTest, records.map((document, n) => ({ id: `h-${n}`, document })));
    // Latency panels read the chains' aliases: real login documents through the ingest pipeline.
    await createIndex(client, login.index, chainsTest);
    created.push(chainsTest);
    const { docs } = produceDocuments(login, { seed: 7, startMs: nowMs - HOUR_MS, nowMs, maxRecords: 300, partition: 0 });
    await bulkIndex(client, chainsTest, await throughIngestPipeline(client, docs));
  });

  it('indexes every sample record under the health template (strict)', async () => {
    expect(sampled).toBeGreaterThan(100);
    const count = await client.count({ index: healthTest });
    expect((count.body as { count: number }).count).toBe(sampled);
  });

  it.each(panels.map((p) => [String(p.object.attributes.title), p] as const))('draws "%s" from those samples', async (_title, { object, vis }) => {
    const onHealth = object.references.some((r) => r.type === 'index-pattern' && r.id === 'streamdex-health');
    const body = toSearchBody(object, { timeField: onHealth ? 'sampled_at' : 'indexed_at', timeRange: { gte: nowMs - 2 * HOUR_MS, lte: nowMs + HOUR_MS } });
    const res = await client.search({ index: onHealth ? healthTest : chainsTest, body: body as never });
    expect(checkResponse(vis, res.body)).toEqual([]);
  });
});

/** The login and music anomalies mixed into the alerts dashboard's traffic (login: bursts and travels; music: failed logins). */
const INJECT: Partial<Record<ChainName, AnomalyOptions>> = {
  [ChainName.LOGIN]: { chain: 'login', loginBursts: 3, burstSize: 20, travels: 4, failedLogins: 0, every: 400, seed: 11 },
  [ChainName.MUSIC]: { chain: 'music', loginBursts: 0, burstSize: 8, travels: 0, failedLogins: 3, every: 600, seed: 12, authTopic: 'auth_events' },
};

describe.each(ANALYTICS_DASHBOARDS.map((d) => [d.name, d] as const))('the %s dashboard on real analytics output', (name, dashboard) => {
  const file = path.join(dashboardsDir, dashboard.file);
  const panels = existsSync(file) ? queryingVisualizations(loadSavedObjects(file)) : [];
  const spec = dashboardIndex(dashboard);
  const index = `test-dash-${name}-${randomBytes(4).toString('hex')}`;
  const nowMs = Date.now();
  const history: Batch = { seed: 20240917, startMs: HISTORY_END_MS - 24 * HOUR_MS, nowMs: HISTORY_END_MS, maxRecords: HISTORY_RECORDS, partition: 0 };
  const live: Batch = { seed: 20240918, startMs: nowMs - HOUR_MS, nowMs, maxRecords: LIVE_RECORDS, partition: 1 };
  const chains = dashboard.shows === AnalyticsOutput.ALERTS ? CHAINS.filter((c) => INJECT[c.name] !== undefined) : CHAINS.filter((c) => c.name === dashboard.chain);
  const docs: Array<{ id: string; document: object }> = [];
  const injected: InjectedAnomaly[] = [];
  const alerts: AlertDocument[] = [];

  beforeAll(async () => {
    await createIndex(client, spec, index);
    created.push(index);
    for (const chain of chains) {
      for (const batch of [history, live]) {
        const inject = dashboard.shows === AnalyticsOutput.ALERTS && batch === history ? INJECT[chain.name] : undefined;
        const processed = produceDocuments(chain, batch, inject);
        injected.push(...processed.injected);
        const out = analyse(chain.name, processed.docs, batch.partition);
        alerts.push(...out.alerts);
        const written = dashboard.shows === AnalyticsOutput.ALERTS ? out.alerts.map((a) => ({ id: a.alert_id, document: a })) : out.aggregates.map((a) => ({ id: a.aggregate_id, document: a }));
        docs.push(...written);
      }
    }
    if (docs.length > 0) await bulkIndex(client, index, docs);
  });

  it(`has a dashboard file with panels that query the index (dashboards/${dashboard.file})`, () => {
    expect(existsSync(file)).toBe(true);
    expect(panels.length).toBeGreaterThan(0);
  });

  if (dashboard.shows === AnalyticsOutput.ALERTS) {
    it('indexes exactly the alerts of the injected anomalies, impossible travels among them', async () => {
      expect(injected.map((a) => a.rule).sort()).toEqual([...Array(3).fill('failed_login_burst'), ...Array(4).fill('impossible_travel'), ...Array(3).fill('login_burst')]);
      const injectedKeys = new Set(injected.map((a) => `${a.rule} ${a.key}`));
      const raised = alerts.map((a) => `${a.rule} ${a.key}`);
      expect(raised.filter((k) => injectedKeys.has(k)).sort()).toEqual([...injectedKeys].sort());
      // Normal traffic raises alerts rarely (test/pipeline/analytics/falsePositives.test.ts); the rules' bound, not zero.
      const normal = alerts.filter((a) => !injectedKeys.has(`${a.rule} ${a.key}`));
      // eslint-disable-next-line no-console
      if (normal.length > 0) console.log(JSON.stringify({ normalTrafficAlerts: normal.map((a) => ({ rule: a.rule, key: a.key, evidence: { ...a.evidence, event_ids: a.evidence.event_ids.length } })) }));
      expect(normal.length).toBeLessThanOrEqual(Math.ceil((2 * (HISTORY_RECORDS + LIVE_RECORDS)) / 1000));
      const count = await client.count({ index });
      expect((count.body as { count: number }).count).toBe(alerts.length);
    });
  } else {
    it("indexes the closed windows' aggregates, whose 60 s totals count every analysed event once", async () => {
      const all60 = docs.map((d) => d.document as AggregateDocument).filter((a) => a.dimension === 'all' && a.window.size_seconds === 60);
      expect(all60.length).toBeGreaterThan(2);
      // Per dimension, the values of a window add up to its total: each event counted once per dimension.
      const totals = new Map<string, number>();
      for (const a of docs.map((d) => d.document as AggregateDocument).filter((x) => x.window.size_seconds === 60)) {
        const k = `${a.partition} ${a.window.start} ${a.dimension}`;
        totals.set(k, (totals.get(k) ?? 0) + a.count);
      }
      for (const a of all60) for (const dim of Object.keys(ANALYTICS.find((c) => c.name === dashboard.chain)!.analytics.dimensions)) {
        expect([dim, totals.get(`${a.partition} ${a.window.start} ${dim}`)]).toEqual([dim, a.count]);
      }
      const count = await client.count({ index });
      expect((count.body as { count: number }).count).toBe(new Set(docs.map((d) => d.id)).size);
    });
  }

  if (panels.length === 0) return;
  it.each(panels.map((p) => [String(p.object.attributes.title), p] as const))('draws "%s" from those documents', async (_title, { object, vis }) => {
    const body = toSearchBody(object, { timeField: spec.timeField, timeRange: { gte: history.startMs, lte: nowMs + HOUR_MS } });
    const res = await client.search({ index, body: body as never });
    expect(checkResponse(vis, res.body)).toEqual([]);
  });
});
