/**
 * Every panel of every chain's dashboard, run as the OpenSearch query Dashboards would
 * send, against documents that chain really produces: the chain's generator, through the
 * processor's pure core, into an index made from the chain's own template. A panel whose
 * field is never filled, mistyped or mapped differently than the dashboard assumes comes
 * back empty and fails here instead of on a screen.
 *
 * Each chain gets a fresh index (test-dash-<chain>-<random>) that afterAll deletes. Its
 * settings omit `default_pipeline`, so nothing is installed on the shared cluster.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@opensearch-project/opensearch';
import { CHAINS } from '../../pipeline/chains/registry';
import type { ChainDefinition, ProcessingContext } from '../../pipeline/chains/types';
import { processRecord } from '../../pipeline/core';
import { createOpenSearchClient } from '../../pipeline/opensearch';
import { checkResponse, loadSavedObjects, queryingVisualizations, toSearchBody } from '../../dashboards/validate';

const OPENSEARCH_URL = process.env.OPENSEARCH_URL || 'http://127.0.0.1:9200';
const DOCUMENTS = 300;
const dashboardsDir = path.resolve(__dirname, '..', '..', 'dashboards');

const ctx: ProcessingContext = {
  nowMs: Date.now(),
  ipMode: 'mask',
  ipHashSecret: undefined,
  currentAppVersion: '2.3.0',
  maxEventAgeMs: 10 * 365 * 86_400_000,
  maxFutureSkewMs: 3_600_000,
};

/** Documents as the processor would emit them for `count` generated records (dead letters skipped). */
function produceDocuments(chain: ChainDefinition, count: number): Array<{ id: string; document: object }> {
  const records = chain.generator({ seed: 20240917, startTimeMs: ctx.nowMs - 3_600_000 });
  const out: Array<{ id: string; document: object }> = [];
  for (let offset = 0; offset < count; offset++) {
    const next = records.next();
    if (next.done) break;
    const r = next.value;
    const outcome = processRecord(
      chain,
      { topic: r.topic, partition: 0, offset, key: r.key === null ? null : Buffer.from(r.key), value: r.value, headers: r.headers ?? [], timestamp: r.eventTimeMs },
      ctx,
      { maxRecordBytes: 65_536, filters: [] },
    );
    if (outcome.kind === 'ok') out.push({ id: outcome.id, document: outcome.document });
  }
  return out;
}

async function createIndex(client: Client, chain: ChainDefinition, index: string): Promise<void> {
  const template = chain.index.template.template as { settings: Record<string, unknown>; mappings: Record<string, unknown> };
  const { default_pipeline: _pipeline, ...settings } = template.settings;
  await client.indices.create({ index, body: { settings, mappings: template.mappings } as never });
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
  let documents = 0;

  beforeAll(async () => {
    await createIndex(client, chain, index);
    created.push(index);
    const docs = produceDocuments(chain, DOCUMENTS);
    documents = docs.length;
    if (docs.length > 0) await bulkIndex(client, index, docs);
  });

  it(`has a dashboard file with panels that query the index (dashboards/${chain.dashboard})`, () => {
    expect(existsSync(file)).toBe(true);
    expect(panels.length).toBeGreaterThan(0);
  });

  it(`indexes most of ${DOCUMENTS} generated records, processed by the real core, under the chain's template`, async () => {
    expect(documents).toBeGreaterThan(DOCUMENTS * 0.8);
    const count = await client.count({ index });
    expect((count.body as { count: number }).count).toBe(documents);
  });

  if (panels.length === 0) return;
  it.each(panels.map((p) => [String(p.object.attributes.title), p] as const))('draws "%s" from those documents', async (_title, { object, vis }) => {
    const body = toSearchBody(object, { timeField: chain.index.timeField, timeRange: { gte: ctx.nowMs - 2 * 3_600_000, lte: ctx.nowMs + 3_600_000 } });
    const res = await client.search({ index, body: body as never });
    expect(checkResponse(vis, res.body)).toEqual([]);
  });
});
