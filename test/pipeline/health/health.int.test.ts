import { createServer, type AddressInfo } from 'node:net';
import { eventually, startService, signalProcess, runToEnd, type RunningProcess } from '../../../harness';
import { loginIndexing } from '../../../pipeline/chains/login/indexing';
import { indexingWithNamespace } from '../../../pipeline/chains/indexing';
import { EVENT_ID_HEADER } from '../../../pipeline/core';
import { healthIndex, pruneHealthIndices } from '../../../pipeline/health';
import { KafkaProducer } from '../../../pipeline/kafka';
import { KAFKA_BROKERS, OPENSEARCH_URL, uniqueName } from '../../helpers/env';
import { useTopics } from '../../helpers/kafka';
import { useOpenSearch } from '../../helpers/opensearch';

/**
 * Health as data, on the real stack: an indexer that cannot keep up (one document per bulk
 * request) with records already waiting reports its consumer lag in the health index and
 * on /metrics, next to its process figures.
 */
const ns = `${uniqueName('health')}-`;
const chain = indexingWithNamespace(loginIndexing, ns);
const topics = useTopics();
const search = useOpenSearch();
search.cleanup(`${ns}*`);
const WAITING = 6000;
const env = { KAFKA_BROKERS: KAFKA_BROKERS.join(','), OPENSEARCH_URL, STREAMDEX_NAMESPACE: ns, CHAINS: 'login', TOPIC_PARTITIONS: '3' };
let indexer: RunningProcess | undefined;
let metricsPort = 0;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

afterAll(async () => {
  if (indexer) await signalProcess(indexer, 'SIGTERM');
  await topics
    .admin()
    .deleteTopics([...chain.topics.inputs, chain.topics.output, chain.topics.deadLetter, `${ns}streamdex-health`])
    .catch(() => undefined);
});

describe('pipeline health on the real stack', () => {
  beforeAll(async () => {
    const admin = await runToEnd('admin', { env, args: ['create-topics'] });
    expect(admin.code).toBe(0);
    expect(await topics.admin().listTopics()).toContain(`${ns}streamdex-health`);
    const producer = new KafkaProducer({ brokers: KAFKA_BROKERS });
    await producer.connect();
    await Promise.all(
      Array.from({ length: WAITING }, (_, n) =>
        producer.send({ topic: chain.topics.output, key: `u${n}`, value: Buffer.from(JSON.stringify({ event_id: `e-${n}`, user_id: `u${n}` })), headers: [{ key: EVENT_ID_HEADER, value: Buffer.from(`e-${n}`) }] }),
      ),
    );
    await producer.close();
    metricsPort = await freePort();
    indexer = startService('indexer', {
      env: { ...env, METRICS_PORT: String(metricsPort), HEALTH_INTERVAL_MS: '500', BULK_MAX_DOCS: '1', BULK_CONCURRENCY: '1', BULK_FLUSH_MS: '1', INDEXER_MAX_IN_FLIGHT: '100', INDEXER_BATCH_SIZE: '10' },
    });
  });

  const health = healthIndex(ns);
  const hits = async (query: unknown): Promise<Array<Record<string, any>>> => {
    const os = search.client();
    await os.indices.refresh({ index: `${health.prefix}-*` }).catch(() => undefined);
    const r = await os.search({ index: `${health.prefix}-*`, body: { query, size: 1000, sort: [{ sampled_at: 'asc' }] } as never, ignore_unavailable: true, allow_no_indices: true } as never);
    return (r.body as unknown as { hits: { hits: Array<{ _source: Record<string, any> }> } }).hits.hits.map((h) => h._source);
  };

  it('shows the lag on /metrics as streamdex_consumer_lag_records while the indexer is behind (checked first: it catches up)', async () => {
    const lagOnMetrics = async () => {
      // The indexer may still be starting (no metrics server yet): that is no lag either.
      const text = await fetch(`http://127.0.0.1:${metricsPort}/metrics`).then((r) => r.text(), () => '');
      const lines = text.split('\n').filter((l) => l.startsWith('streamdex_consumer_lag_records{') && l.includes(`topic="${chain.topics.output}"`));
      return lines.reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
    };
    expect(await eventually(lagOnMetrics, (n) => n > 0, 30_000, 'lag on /metrics')).toBeGreaterThan(0);
  });

  it('shows the lagging consumer’s lag per partition in the health index: high watermark minus committed offset', async () => {
    const lagging = await eventually(
      () => hits({ bool: { filter: [{ term: { kind: 'lag' } }, { term: { topic: chain.topics.output } }, { range: { lag: { gt: 0 } } }] } }),
      (h) => h.length > 0,
      // Health records queue behind the waiting ones at one document per bulk request.
      120_000,
      'a lag record above zero',
    );
    for (const l of lagging) {
      expect(l).toMatchObject({ service: 'consumer-indexer', group: `${ns}streamdex-indexer`, topic: chain.topics.output });
      expect(l.lag).toBe(l.high_watermark - Math.max(l.committed_offset, 0));
      expect(l.lag).toBeLessThanOrEqual(WAITING);
    }
  });

  it('samples the process (memory, event loop, in-flight records) and the record counters', async () => {
    const processes = await eventually(() => hits({ term: { kind: 'process' } }), (h) => h.length >= 2, 30_000, 'process samples');
    for (const p of processes) {
      expect(p.service).toBe('consumer-indexer');
      expect(p.rss_bytes).toBeGreaterThan(10 * 1024 * 1024);
      expect(p.heap_used_bytes).toBeGreaterThan(0);
      expect(p.in_flight).toBeGreaterThanOrEqual(0);
    }
    const indexed = await eventually(
      () => hits({ bool: { filter: [{ term: { kind: 'counter' } }, { term: { metric: 'streamdex_indexer_records_total' } }, { term: { outcome: 'indexed' } }, { range: { count: { gt: 0 } } }] } }),
      (h) => h.length > 0,
      30_000,
      'indexed-record counters',
    );
    expect(indexed[0]!.chain).toBe('login');
    const bulk = await hits({ bool: { filter: [{ term: { kind: 'timing' } }, { term: { metric: 'streamdex_indexer_bulk_request_documents' } }, { range: { count: { gt: 0 } } }] } });
    // One document per bulk request, as configured.
    for (const b of bulk) expect(b.avg).toBe(1);
  });

  it('has every service sample itself: the producer and the processor too, with their record counters', async () => {
    const processor = startService('processor', { env: { ...env, HEALTH_INTERVAL_MS: '500' } });
    try {
      const produced = await runToEnd('producer', { env: { ...env, HEALTH_INTERVAL_MS: '500' }, args: ['--chain', 'login', '--rate', '400', '--count', '1200', '--seed', '3'] });
      expect(produced.code).toBe(0);
      const counted = (service: string, metric: string, outcome: string) =>
        eventually(
          () => hits({ bool: { filter: [{ term: { service } }, { term: { kind: 'counter' } }, { term: { metric } }, { term: { outcome } }] } }),
          (h) => h.reduce((n, r) => n + r.count, 0) > 0,
          60_000,
          `${service} ${outcome} counters`,
        );
      // The producer's samples sum to what it had acknowledged by its last sample: at most all of it.
      const valid = await counted('producer', 'streamdex_producer_records_total', 'valid');
      expect(valid.reduce((n, r) => n + r.count, 0)).toBeLessThanOrEqual(1200);
      await counted('consumer-processor', 'streamdex_processor_records_total', 'processed');
      for (const service of ['producer', 'consumer-processor']) {
        const processes = await hits({ bool: { filter: [{ term: { service } }, { term: { kind: 'process' } }] } });
        expect(processes.length).toBeGreaterThan(0);
      }
    } finally {
      await signalProcess(processor, 'SIGTERM');
    }
  });

  it('keeps health indices for HEALTH_RETENTION_DAYS: older day indices are deleted, others left alone', async () => {
    const os = search.client();
    const now = Date.UTC(2026, 11, 2, 10, 0, 0);
    // A prefix of its own: the running indexer writes today's index under the test's.
    const own = healthIndex(`${ns}prune-`);
    for (const day of ['2026.11.28', '2026.11.29', '2026.11.30', '2026.12.01', '2026.12.02', 'notaday']) await os.indices.create({ index: `${own.prefix}-${day}` });
    const deleted = await pruneHealthIndices(os, own, 2, now);
    expect(deleted.sort()).toEqual([`${own.prefix}-2026.11.28`, `${own.prefix}-2026.11.29`]);
    const left = (await os.cat.indices({ index: `${own.prefix}-*`, format: 'json', h: 'index' } as never)).body as unknown as Array<{ index: string }>;
    expect(left.map((i) => i.index).sort()).toEqual([`${own.prefix}-2026.11.30`, `${own.prefix}-2026.12.01`, `${own.prefix}-2026.12.02`, `${own.prefix}-notaday`]);
  });
});
