import { headerOf as header } from '../../harness';
import { interactionsIndexing } from '../../pipeline/chains/interactions/indexing';
import { DeadLetterCode, DeadLetterHeader } from '../../pipeline/core';
import { chainKit, sum } from './chainKit';

/**
 * The user-interactions chain on the real stack: generated shop traffic (5% broken)
 * through the real processor and indexer processes into OpenSearch.
 */
const kit = chainKit(interactionsIndexing);
const { chain } = kit;
const COUNT = 3000;
const hits = kit.hits;

let produced: { valid: number; malformed: Record<string, number> };

describe('the interactions chain on the real stack', () => {
  it('creates its topics with the admin command', async () => {
    await kit.expectTopicsCreated();
  });

  it('indexes every valid event exactly once', async () => {
    kit.startConsumers();

    produced = (await kit.produce(['--chain', 'interactions', '--rate', '0', '--count', String(COUNT), '--malformed-ratio', '0.05', '--seed', '13'])).acked;
    expect(produced.valid + sum(produced.malformed)).toBe(COUNT);
    expect(Object.keys(produced.malformed).sort()).toEqual(
      ['ancient_timestamp', 'empty', 'future_timestamp', 'invalid_utf8', 'missing_field', 'not_json', 'not_object', 'oversized', 'purchase_without_amount', 'tombstone', 'wrong_type'].sort(),
    );

    await kit.expectExactly(produced.valid, 120_000, 2000, 'all valid events indexed');
  });

  it('dead-letters every malformed record', async () => {
    const deadLetters = await kit.deadLetters(sum(produced.malformed));
    const { messages: dead, distinct } = deadLetters;
    expect(distinct).toBe(sum(produced.malformed));
    for (const m of dead) expect(header(m, DeadLetterHeader.SOURCE_TOPIC)).toBe(chain.topics.inputs[0]);
    const codes = new Set(dead.map((m) => header(m, DeadLetterHeader.CODE)));
    expect(codes).toContain(DeadLetterCode.SCHEMA);
    expect(codes).toContain(DeadLetterCode.TIMESTAMP_OUT_OF_RANGE);
    expect(dead.some((m) => header(m, DeadLetterHeader.FIELD) === 'amount')).toBe(true);
    await kit.expectDeadLettersIndexed(deadLetters);
  });

  it('enriches purchases and uses the source event_id as the document id when given', async () => {
    const at = new Date(Math.floor(Date.now() / 1000) * 1000);
    const timestamp = at.toISOString().slice(0, 19).replace('T', ' ');
    const events = [
      { event_id: 'known-purchase', event_type: 'purchase', user_id: 999_001, page_id: 7, timestamp, amount: 19.99, currency: 'GBP' },
      { event_type: 'page_visit', user_id: 999_002, page_id: 1, timestamp },
    ];
    await kit.send(events.map((e) => ({ key: String(e.user_id), value: e })));
    // The same event again: it has an id, so it overwrites instead of doubling.
    await kit.send([{ key: '999001', value: events[0] }]);
    await kit.expectExactly(produced.valid + 2, 60_000, 2000, 'known events indexed');

    // The document id is the source's event_id.
    const got = await kit.os().get({ index: chain.index.alias, id: 'known-purchase' });
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
    const r = await kit.os().search({
      index: chain.index.alias,
      body: { size: 0, aggs: { t: { terms: { field: 'event_type' } }, revenue: { sum: { field: 'revenue' } } } } as never,
    });
    const aggs = (r.body as unknown as { aggregations: { t: { buckets: Array<{ key: string }> }; revenue: { value: number } } }).aggregations;
    expect(aggs.t.buckets.map((b) => b.key)).toEqual(expect.arrayContaining(['page_visit', 'click', 'purchase', 'add_to_cart', 'search']));
    expect(aggs.revenue.value).toBeGreaterThan(0);
  });
});
