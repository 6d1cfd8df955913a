import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@opensearch-project/opensearch';
import { countDocs } from '../../../harness';
import { indexingWithNamespace } from '../../../pipeline/chains/indexing';
import { loginIndexing } from '../../../pipeline/chains/login/indexing';
import { loginProcessing } from '../../../pipeline/chains/login/processing';
import { processingWithNamespace } from '../../../pipeline/chains/processing';
import { IpMode } from '../../../pipeline/enrich';
import { loginGeneration, type GeneratedRecord } from '../../../producer/src/chains';
import { processRecord } from '../../../pipeline/core';
import { BulkIndexer, createOpenSearchClient, ensureIndex, type BulkIndexerOptions, type ItemRejection } from '../../../pipeline/opensearch';
import { uniqueName } from '../../helpers/env';
import { useOpenSearch } from '../../helpers/opensearch';

/**
 * BulkIndexer and ensureIndex against the real OpenSearch, with the login chain's strict
 * template under a namespace of its own.
 */
const ns = `${uniqueName('it-bulk')}-`;
const chain = indexingWithNamespace(loginIndexing, ns);
const processing = processingWithNamespace(loginProcessing, ns);
const search = useOpenSearch();
search.cleanup(`${ns}*`);
let client: Client;

const NOW = Date.now();
/** Real login documents, as the processor makes them. */
function loginDocs(n: number): object[] {
  const gen = loginGeneration.generator({ seed: 5, startTimeMs: NOW - 3600_000 });
  const ctx = { nowMs: NOW, ipMode: IpMode.MASK, ipHashSecret: undefined, currentAppVersion: '2.3.0', maxEventAgeMs: 3650 * 86_400_000, maxFutureSkewMs: 3600_000 };
  return Array.from({ length: n }, (_, offset) => {
    const r = gen.next().value as GeneratedRecord;
    const o = processRecord(processing, { topic: processing.topics.inputs[0]!, partition: 0, offset, key: null, value: r.value, headers: [], timestamp: r.eventTimeMs }, ctx, { maxRecordBytes: 65536, filters: [] });
    if (o.kind !== 'ok') throw new Error(`generator record ${offset} did not process: ${JSON.stringify(o)}`);
    return o.document;
  });
}

interface Recorder {
  indexed: string[];
  rejected: Array<{ ref: string; rejection: ItemRejection }>;
  retries: Array<{ items: number; delayMs: number; cause: string }>;
}

function indexer(c: Client, options: BulkIndexerOptions): { bulk: BulkIndexer<string>; seen: Recorder } {
  const seen: Recorder = { indexed: [], rejected: [], retries: [] };
  const bulk = new BulkIndexer<string>(
    c,
    {
      onIndexed: (refs) => seen.indexed.push(...refs),
      onRejected: (ref, rejection) => seen.rejected.push({ ref, rejection }),
      onRetry: (items, delayMs, cause) => seen.retries.push({ items, delayMs, cause }),
    },
    options,
  );
  return { bulk, seen };
}

const item = (id: string, doc: object) => ({ index: chain.index.alias, id, source: Buffer.from(JSON.stringify(doc)), ref: id });

describe('BulkIndexer on the real OpenSearch', () => {
  const docs = loginDocs(2500);

  beforeAll(() => {
    client = search.client();
  });

  it('installs the template and a write alias with ensureIndex, idempotently', async () => {
    await ensureIndex(client, chain.index);
    await ensureIndex(client, chain.index);
    const alias = await client.indices.getAlias({ name: chain.index.alias });
    expect(Object.keys(alias.body as object)).toEqual([chain.index.initialIndex]);
    const mapping = await client.indices.getMapping({ index: chain.index.initialIndex });
    const m = (mapping.body as Record<string, { mappings: { dynamic: string; properties: Record<string, unknown> } }>)[chain.index.initialIndex]!.mappings;
    expect(m.dynamic).toBe('strict');
    expect(Object.keys(m.properties)).toEqual(expect.arrayContaining(['user_id', 'geo', 'event_time', 'indexed_at']));
  });

  it('indexes 2500 documents in 500-document requests and every one can be found', async () => {
    const { bulk, seen } = indexer(client, { maxDocs: 500, flushIntervalMs: 60_000 });
    docs.forEach((d, i) => bulk.add(item(`doc-${i}`, d)));
    await bulk.close();
    expect(seen.rejected).toEqual([]);
    expect(seen.retries).toEqual([]);
    expect(new Set(seen.indexed).size).toBe(2500);
    expect(bulk.stats).toMatchObject({ total: 2500, indexed: 2500, failed: 0, retried: 0, requests: 5 });
    expect(bulk.pending).toBe(0);

    expect(await countDocs(client, chain.index.alias)).toBe(2500);
    const one = await client.get({ index: chain.index.initialIndex, id: 'doc-42' });
    const source = (one.body as { _source: Record<string, unknown> })._source;
    // Stored as sent, plus the ingest pipeline's indexed_at stamp and the latency since the raw record's Kafka timestamp.
    const sent = JSON.parse(JSON.stringify(docs[42])) as { source: { timestamp: number } };
    expect(source).toEqual({ ...sent, indexed_at: expect.any(String), latency_ms: expect.any(Number) });
    expect(source.latency_ms).toBe(Date.parse(source.indexed_at as string) - sent.source.timestamp);
  });

  it('sends what is left in the buffer after flushIntervalMs without being asked', async () => {
    const { bulk, seen } = indexer(client, { maxDocs: 500, flushIntervalMs: 50 });
    bulk.add(item('doc-0', docs[0]!));
    const deadline = Date.now() + 10_000;
    while (seen.indexed.length === 0 && Date.now() < deadline) await sleep(20);
    expect(seen.indexed).toEqual(['doc-0']);
    await bulk.close();
  });

  it('does not add documents when the same ids are indexed again', async () => {
    const { bulk, seen } = indexer(client, { maxDocs: 500 });
    docs.forEach((d, i) => bulk.add(item(`doc-${i}`, d)));
    await bulk.close();
    expect(seen.indexed).toHaveLength(2500);
    expect(await countDocs(client, chain.index.alias)).toBe(2500);
  });

  it('reports documents the strict mapping refuses via onRejected and indexes the rest of the same bulk', async () => {
    const { bulk, seen } = indexer(client, { maxDocs: 1000 });
    const good = docs.slice(0, 8);
    good.forEach((d, i) => bulk.add(item(`mixed-ok-${i}`, d)));
    bulk.add(item('mixed-unmapped', { ...docs[8]!, surprise_field: 'not in the template' }));
    bulk.add(item('mixed-wrong-type', { ...docs[9]!, hour_of_day: 'late afternoon' }));
    await bulk.close();

    expect(bulk.stats).toMatchObject({ total: 10, indexed: 8, failed: 2, requests: 1 });
    expect(seen.indexed.sort()).toEqual(good.map((_, i) => `mixed-ok-${i}`).sort());
    const byRef = Object.fromEntries(seen.rejected.map((r) => [r.ref, r.rejection]));
    expect(Object.keys(byRef).sort()).toEqual(['mixed-unmapped', 'mixed-wrong-type']);
    expect(byRef['mixed-unmapped']).toMatchObject({ status: 400, type: 'strict_dynamic_mapping_exception', field: 'surprise_field' });
    expect(byRef['mixed-wrong-type']).toMatchObject({ status: 400, field: 'hour_of_day' });
    expect(byRef['mixed-wrong-type']!.type).toMatch(/^(mapper_parsing_exception|document_parsing_exception)$/);
    expect(byRef['mixed-wrong-type']!.reason).toContain('hour_of_day');

    expect(await countDocs(client, chain.index.alias)).toBe(2508);
  });

  it.each([
    ['a write block (403)', 'index.blocks.write', '403 cluster_block_exception'],
    ['the flood-stage block (429)', 'index.blocks.read_only_allow_delete', '429 cluster_block_exception'],
  ])('waits out %s on the index and indexes everything once it is lifted, dead-lettering nothing', async (_what, setting, cause) => {
    await client.indices.putSettings({ index: chain.index.alias, body: { [setting]: true } as never });
    let lifted = false;
    try {
      const { bulk, seen } = indexer(client, { maxDocs: 50, initialBackoffMs: 20, maxBackoffMs: 200 });
      // Ids already indexed: the later tests count the index, and a rewrite adds no document.
      for (let i = 0; i < 100; i++) bulk.add(item(`doc-${i}`, docs[i]!));
      const deadline = Date.now() + 10_000;
      while (seen.retries.length < 3 && Date.now() < deadline) await sleep(20);
      expect(seen.retries.length).toBeGreaterThanOrEqual(3);
      expect(seen.retries[0]!.cause).toBe(cause);
      expect(seen.indexed).toEqual([]);
      await client.indices.putSettings({ index: chain.index.alias, body: { [setting]: null } as never });
      lifted = true;
      await bulk.close();
      expect(seen.rejected).toEqual([]);
      expect(new Set(seen.indexed).size).toBe(100);
    } finally {
      if (!lifted) await client.indices.putSettings({ index: chain.index.alias, body: { [setting]: null } as never });
    }
  });

  it('retries while the cluster is unreachable and close() gives up without acking or rejecting', async () => {
    const unreachable = createOpenSearchClient({ url: 'http://127.0.0.1:1', requestTimeoutMs: 2000 });
    try {
      const { bulk, seen } = indexer(unreachable, { maxDocs: 5, initialBackoffMs: 20, maxBackoffMs: 100 });
      for (let i = 0; i < 10; i++) bulk.add(item(`lost-${i}`, docs[i]!));
      const deadline = Date.now() + 10_000;
      while (seen.retries.length < 4 && Date.now() < deadline) await sleep(20);
      expect(seen.retries.length).toBeGreaterThanOrEqual(4);
      expect(seen.retries.every((r) => r.items === 5 && r.delayMs <= 100)).toBe(true);
      expect(bulk.pending).toBe(10);

      const started = Date.now();
      await bulk.close(500);
      expect(Date.now() - started).toBeLessThan(3000);
      expect(seen.indexed).toEqual([]);
      expect(seen.rejected).toEqual([]);
      expect(bulk.stats.indexed).toBe(0);
      expect(bulk.stats.failed).toBe(0);
      expect(bulk.stats.retried).toBeGreaterThanOrEqual(20);
      expect(bulk.pending).toBe(0);
      expect(() => bulk.add(item('after-close', docs[0]!))).toThrow(/closed/);
    } finally {
      await unreachable.close();
    }
    expect(await countDocs(client, chain.index.alias)).toBe(2508);
  });
});
