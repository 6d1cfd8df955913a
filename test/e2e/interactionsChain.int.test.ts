import type { Message } from '@confluentinc/kafka-javascript';
import type { Client } from '@opensearch-project/opensearch';
import { indexingWithNamespace } from '../../pipeline/chains/indexing';
import { interactionsIndexing } from '../../pipeline/chains/interactions/indexing';
import { DeadLetterCode, DeadLetterHeader } from '../../pipeline/core';
import { KafkaProducer } from '../../pipeline/kafka';
import { KAFKA_BROKERS, OPENSEARCH_URL, eventually, uniqueName } from '../helpers/env';
import { header, readTopic, useTopics } from '../helpers/kafka';
import { countDocs, useOpenSearch } from '../helpers/opensearch';
import { SERVICE, kill, runToEnd, startService, type RunningService } from '../helpers/services';

/**
 * The user-interactions chain on the real stack: generated shop traffic (5% broken)
 * through the real processor and indexer processes into OpenSearch.
 */
const PARTITIONS = 3;
const ns = `${uniqueName('e2e-interactions')}-`;
const chain = indexingWithNamespace(interactionsIndexing, ns);
const env = {
  KAFKA_BROKERS: KAFKA_BROKERS.join(','),
  OPENSEARCH_URL,
  STREAMDEX_NAMESPACE: ns,
  CHAINS: 'interactions',
  TOPIC_PARTITIONS: String(PARTITIONS),
};
const COUNT = 3000;

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

async function hits(query: unknown, size = 100): Promise<Array<Record<string, any>>> {
  const r = await os.search({ index: chain.index.alias, body: { query, size } as never });
  return (r.body as unknown as { hits: { hits: Array<{ _source: Record<string, any> }> } }).hits.hits.map((h) => h._source);
}

describe('the interactions chain on the real stack', () => {
  it('creates its topics with the admin command', async () => {
    const r = await runToEnd(SERVICE.admin, env, ['create-topics']);
    expect(r.code).toBe(0);
    const all = await topics.admin().listTopics();
    expect(all).toEqual(expect.arrayContaining([...chain.topics.inputs, chain.topics.output, chain.topics.deadLetter]));
  });

  it('indexes every valid event exactly once', async () => {
    os = search.client();
    processor = startService(SERVICE.processor, env);
    indexer = startService(SERVICE.indexer, env);

    const result = await runToEnd(SERVICE.producer, env, ['--chain', 'interactions', '--rate', '0', '--count', String(COUNT), '--malformed-ratio', '0.05', '--seed', '13']);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.lastLine) as { sent: number; failed: number; acked: typeof produced };
    produced = summary.acked;
    expect(summary.failed).toBe(0);
    expect(produced.valid + sum(produced.malformed)).toBe(COUNT);
    expect(Object.keys(produced.malformed).sort()).toEqual(
      ['ancient_timestamp', 'empty', 'future_timestamp', 'invalid_utf8', 'missing_field', 'not_json', 'not_object', 'oversized', 'purchase_without_amount', 'tombstone', 'wrong_type'].sort(),
    );

    await eventually(() => countDocs(os, chain.index.alias), (n) => n >= produced.valid, 120_000, 'all valid events indexed');
    await sleep(2000);
    expect(await countDocs(os, chain.index.alias)).toBe(produced.valid);
  });

  it('dead-letters every malformed record', async () => {
    const coordinatesOf = (m: Message) => `${header(m, DeadLetterHeader.SOURCE_PARTITION)}/${header(m, DeadLetterHeader.SOURCE_OFFSET)}`;
    const dead = await eventually(
      () => readTopic(chain.topics.deadLetter, PARTITIONS),
      (m) => new Set(m.map(coordinatesOf)).size >= sum(produced.malformed),
      60_000,
      'dead letters',
    );
    expect(new Set(dead.map(coordinatesOf)).size).toBe(sum(produced.malformed));
    for (const m of dead) expect(header(m, DeadLetterHeader.SOURCE_TOPIC)).toBe(chain.topics.inputs[0]);
    const codes = new Set(dead.map((m) => header(m, DeadLetterHeader.CODE)));
    expect(codes).toContain(DeadLetterCode.SCHEMA);
    expect(codes).toContain(DeadLetterCode.TIMESTAMP_OUT_OF_RANGE);
    expect(dead.some((m) => header(m, DeadLetterHeader.FIELD) === 'amount')).toBe(true);
  });

  it('enriches purchases and uses the source event_id as the document id when given', async () => {
    const producer = new KafkaProducer({ brokers: KAFKA_BROKERS });
    await producer.connect();
    const at = new Date(Math.floor(Date.now() / 1000) * 1000);
    const timestamp = at.toISOString().slice(0, 19).replace('T', ' ');
    const events = [
      { event_id: 'known-purchase', event_type: 'purchase', user_id: 999_001, page_id: 7, timestamp, amount: 19.99, currency: 'GBP' },
      { event_type: 'page_visit', user_id: 999_002, page_id: 1, timestamp },
    ];
    await Promise.all(events.map((e) => producer.send({ topic: chain.topics.inputs[0]!, key: String(e.user_id), value: Buffer.from(JSON.stringify(e)) })));
    // The same event again: it has an id, so it overwrites instead of doubling.
    await producer.send({ topic: chain.topics.inputs[0]!, key: '999001', value: Buffer.from(JSON.stringify(events[0])) });
    await producer.close();
    await eventually(() => countDocs(os, chain.index.alias), (n) => n >= produced.valid + 2, 60_000, 'known events indexed');
    await sleep(2000);
    expect(await countDocs(os, chain.index.alias)).toBe(produced.valid + 2);

    // The document id is the source's event_id.
    const got = await os.get({ index: chain.index.alias, id: 'known-purchase' });
    expect((got.body as unknown as { found: boolean }).found).toBe(true);
    const [purchase] = await hits({ term: { user_id: 999_001 } });
    expect(purchase).toMatchObject({
      event_id: 'known-purchase',
      event_type: 'purchase',
      is_purchase: true,
      revenue: 19.99,
      currency: 'GBP',
      event_time: at.toISOString(),
      hour_of_day: at.getUTCHours(),
    });
    const [visit] = await hits({ term: { user_id: 999_002 } });
    expect(visit!.event_id).toMatch(new RegExp(`^${chain.topics.inputs[0]}-\\d+-\\d+$`));
    expect(visit!.is_purchase).toBe(false);
    expect(visit!.revenue).toBeUndefined();

    // Generated traffic: several event types, purchases with revenue.
    const r = await os.search({
      index: chain.index.alias,
      body: { size: 0, aggs: { t: { terms: { field: 'event_type' } }, revenue: { sum: { field: 'revenue' } } } } as never,
    });
    const aggs = (r.body as unknown as { aggregations: { t: { buckets: Array<{ key: string }> }; revenue: { value: number } } }).aggregations;
    expect(aggs.t.buckets.map((b) => b.key)).toEqual(expect.arrayContaining(['page_visit', 'click', 'purchase', 'add_to_cart', 'search']));
    expect(aggs.revenue.value).toBeGreaterThan(0);
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
