import type { Message } from '@confluentinc/kafka-javascript';
import type { Client } from '@opensearch-project/opensearch';
import { indexingWithNamespace } from '../../pipeline/chains/indexing';
import { loginIndexing } from '../../pipeline/chains/login/indexing';
import { DeadLetterCode, DeadLetterHeader } from '../../pipeline/core';
import { KafkaProducer } from '../../pipeline/kafka';
import { KAFKA_BROKERS, OPENSEARCH_URL, eventually, uniqueName } from '../helpers/env';
import { header, readTopic, useTopics } from '../helpers/kafka';
import { countDocs, useOpenSearch } from '../helpers/opensearch';
import { SERVICE, kill, runToEnd, startService, type RunningService } from '../helpers/services';

/**
 * The take-home's chain on the real stack, with the real services as processes:
 * producer -> user-login -> processor -> processed-user-login -> indexer -> OpenSearch.
 * Counts must come out exact even though each consumer is SIGKILLed mid-run.
 */
const PARTITIONS = 3;
const ns = `${uniqueName('e2e-login')}-`;
const chain = indexingWithNamespace(loginIndexing, ns);
const env = {
  KAFKA_BROKERS: KAFKA_BROKERS.join(','),
  OPENSEARCH_URL,
  STREAMDEX_NAMESPACE: ns,
  CHAINS: 'login',
  TOPIC_PARTITIONS: String(PARTITIONS),
};

const topics = useTopics();
const search = useOpenSearch();
search.cleanup(`${ns}*`);

let processor: RunningService;
let indexer: RunningService;
let os: Client;
let produced: { valid: number; malformed: Record<string, number> };

afterAll(async () => {
  await Promise.all([processor, indexer].filter(Boolean).map((s) => kill(s, 'SIGTERM')));
  await topics.admin().deleteTopics([...chain.topics.inputs, chain.topics.output, chain.topics.deadLetter]).catch(() => undefined);
});

const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);

describe('the login chain on the real stack', () => {
  it('creates its topics with the admin command', async () => {
    const r = await runToEnd(SERVICE.admin, env, ['create-topics']);
    expect(r.code).toBe(0);
    const all = await topics.admin().listTopics();
    expect(all).toEqual(expect.arrayContaining([...chain.topics.inputs, chain.topics.output, chain.topics.deadLetter]));
  });

  it('indexes every valid event exactly once and dead-letters every malformed one, although processor and indexer are killed mid-run', async () => {
    os = search.client();
    processor = startService(SERVICE.processor, env);
    indexer = startService(SERVICE.indexer, env);

    // ~6 s of traffic at 2000/s, 5% of it broken in every way the producer knows.
    const producing = runToEnd(SERVICE.producer, env, ['--chain', 'login', '--rate', '2000', '--count', '12000', '--malformed-ratio', '0.05', '--seed', '7']);

    await sleep(2000);
    await kill(processor, 'SIGKILL');
    processor = startService(SERVICE.processor, env);
    await sleep(2000);
    await kill(indexer, 'SIGKILL');
    indexer = startService(SERVICE.indexer, env);

    const result = await producing;
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.lastLine) as { sent: number; failed: number; acked: typeof produced };
    produced = summary.acked;
    expect(summary.failed).toBe(0);
    expect(produced.valid + sum(produced.malformed)).toBe(12000);
    // Every malformed kind was really produced, so "all dead-lettered" means something.
    expect(Object.keys(produced.malformed).sort()).toEqual(
      ['ancient_timestamp', 'bad_ip', 'empty', 'future_timestamp', 'invalid_utf8', 'missing_field', 'not_json', 'not_object', 'oversized', 'tombstone', 'wrong_type'].sort(),
    );

    const indexed = await eventually(() => countDocs(os, chain.index.alias), (n) => n >= produced.valid, 120_000, 'all valid events indexed');
    // Let any late duplicate writes land before judging: they would overwrite, never add.
    await sleep(3000);
    expect(await countDocs(os, chain.index.alias)).toBe(produced.valid);
    expect(indexed).toBe(produced.valid);

    // Every input offset is represented by exactly one document: nothing lost, nothing doubled.
    expect(await distinctSourceOffsets(os, chain.index.alias)).toBe(produced.valid);
  });

  it('dead-letters every malformed record, with its reason, failing field and source coordinates', async () => {
    const coordinatesOf = (m: Message) => `${header(m, DeadLetterHeader.SOURCE_PARTITION)}/${header(m, DeadLetterHeader.SOURCE_OFFSET)}`;
    const dead = await eventually(
      () => readTopic(chain.topics.deadLetter, PARTITIONS),
      (m) => new Set(m.map(coordinatesOf)).size >= sum(produced.malformed),
      60_000,
      'dead letters',
    );
    // The dead-letter topic is at-least-once like the processed topic: a processor killed
    // after a dead letter was acknowledged but before its offset was committed writes it
    // again. Each names its source record, so readers count distinct coordinates.
    const distinct = new Set(dead.map(coordinatesOf));
    expect(distinct.size).toBe(sum(produced.malformed));
    for (const m of dead) {
      expect(header(m, DeadLetterHeader.SOURCE_TOPIC)).toBe(chain.topics.inputs[0]);
      expect(header(m, DeadLetterHeader.REASON)).toEqual(expect.any(String));
      expect(header(m, DeadLetterHeader.STAGE)).toBe('processor');
    }
    const codes = new Set(dead.map((m) => header(m, DeadLetterHeader.CODE)));
    expect([...codes].sort()).toEqual(
      [
        DeadLetterCode.EMPTY_VALUE,
        DeadLetterCode.INVALID_UTF8,
        DeadLetterCode.NOT_JSON,
        DeadLetterCode.NOT_OBJECT,
        DeadLetterCode.SCHEMA,
        DeadLetterCode.TIMESTAMP_OUT_OF_RANGE,
        DeadLetterCode.TOMBSTONE,
        DeadLetterCode.TOO_LARGE,
      ].sort(),
    );
    const badIp = dead.find((m) => header(m, DeadLetterHeader.FIELD) === 'ip');
    expect(badIp).toBeDefined();
    // The original bytes travel unchanged, so a fixed record can be replayed.
    const tooLarge = dead.find((m) => header(m, DeadLetterHeader.CODE) === DeadLetterCode.TOO_LARGE)!;
    expect(tooLarge.value!.length).toBeGreaterThan(64 * 1024);
  });

  it('enriches known addresses and user agents correctly', async () => {
    const producer = new KafkaProducer({ brokers: KAFKA_BROKERS });
    await producer.connect();
    const now = Math.floor(Date.now() / 1000);
    const base = { app_version: '2.1.0', locale: 'RI', device_id: '593-47-5928', timestamp: String(now) };
    const events = [
      { ...base, user_id: 'known-gb', ip: '81.2.69.142', device_type: 'iOS', user_agent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1' },
      { ...base, user_id: 'known-us', ip: '8.8.8.8', app_version: '2.3.0', user_agent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36' },
      { ...base, user_id: 'known-private', ip: '192.168.1.20', device_type: 'android' },
    ];
    await Promise.all(events.map((e) => producer.send({ topic: chain.topics.inputs[0]!, key: e.user_id, value: Buffer.from(JSON.stringify(e)) })));
    await producer.close();
    await eventually(() => countDocs(os, chain.index.alias), (n) => n >= produced.valid + 3, 60_000, 'known events indexed');

    const get = async (user: string) => {
      const r = await os.search({ index: chain.index.alias, body: { query: { term: { user_id: user } } } as never });
      const hits = (r.body as unknown as { hits: { hits: Array<{ _source: Record<string, any> }> } }).hits.hits;
      expect(hits).toHaveLength(1);
      return hits[0]!._source;
    };
    const gb = await get('known-gb');
    expect(gb.geo).toMatchObject({ country: 'GB', location: { lat: expect.any(Number), lon: expect.any(Number) } });
    expect(gb.ip).toBe('81.2.69.xxx');
    expect(gb.user_agent).toMatchObject({ os: 'iOS', browser: 'Mobile Safari', device_type: 'mobile' });
    expect(gb.app).toEqual({ major: 2, minor: 1, patch: 0, outdated: true });
    expect(gb.timestamp).toBe(now);
    expect(gb.event_time).toBe(new Date(now * 1000).toISOString());

    const us = await get('known-us');
    expect(us.geo.country).toBe('US');
    expect(us.device_type).toBe('unknown');
    expect(us.user_agent).toMatchObject({ os: 'Android', browser: 'Chrome' });
    expect(us.app.outdated).toBe(false);

    const lan = await get('known-private');
    expect(lan.geo).toBeUndefined();
    expect(lan.ip_class).toBe('private');
  });
});

/** Exact count of distinct (partition, offset) pairs, paging a composite aggregation. */
async function distinctSourceOffsets(client: Client, index: string): Promise<number> {
  let after: Record<string, unknown> | undefined;
  let distinct = 0;
  for (;;) {
    const composite = { size: 5000, sources: [{ p: { terms: { field: 'source.partition' } } }, { o: { terms: { field: 'source.offset' } } }], ...(after ? { after } : {}) };
    const r = await client.search({ index, body: { size: 0, aggs: { pairs: { composite } } } as never });
    const agg = (r.body as unknown as { aggregations: { pairs: { buckets: Array<{ doc_count: number }>; after_key?: Record<string, unknown> } } }).aggregations.pairs;
    distinct += agg.buckets.length;
    if (agg.buckets.length === 0 || !agg.after_key) return distinct;
    after = agg.after_key;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
