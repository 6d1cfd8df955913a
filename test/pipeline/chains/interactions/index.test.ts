import { INDEXING } from '../../../../pipeline/chains/indexing';
import { interactionsIndexing } from '../../../../pipeline/chains/interactions/indexing';
import { interactionsProcessing } from '../../../../pipeline/chains/interactions/processing';
import { interactionsTopics } from '../../../../pipeline/chains/interactions/topics';
import { PROCESSING } from '../../../../pipeline/chains/processing';
import { TOPICS } from '../../../../pipeline/chains/topics';
import { GENERATION, interactionsGeneration } from '../../../../producer/src/chains';
import { DeadLetterCode } from '../../../../pipeline/core';
import { corrupt, malformedKinds } from '../../../../producer/src/malformed';
import { NOW, ok, picker, run, runGenerated, take, unmappedFields } from '../chainTestKit';

const TOPIC = 'user_interactions';
const text = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
const at = Date.UTC(2026, 0, 11, 8, 5, 9); // a Sunday
const visit = { event_type: 'page_visit', user_id: 17, page_id: 3, timestamp: text(at) };

describe('interactions chain declaration', () => {
  it('reads user_interactions and writes its own output, dead-letter topic and index', () => {
    expect(interactionsTopics.topics).toEqual({ inputs: ['user_interactions'], output: 'processed-user-interactions', deadLetter: 'user-interactions-dlq' });
    expect(interactionsIndexing.index).toMatchObject({ alias: 'streamdex-interactions', initialIndex: 'streamdex-interactions-000001', templateName: 'streamdex-interactions' });
    expect((interactionsIndexing.index.template as { index_patterns: string[] }).index_patterns).toEqual(['streamdex-interactions-*']);
    expect(TOPICS).toContain(interactionsTopics);
    expect(PROCESSING).toContain(interactionsProcessing);
    expect(INDEXING).toContain(interactionsIndexing);
    expect(GENERATION).toContain(interactionsGeneration);
  });
});

describe('interactions chain: processing', () => {
  it('accepts the original producer\'s record (no event_id) and ids it by coordinates', () => {
    const o = run(interactionsProcessing, TOPIC, visit, 77);
    expect(o).toMatchObject({ kind: 'ok', id: `${TOPIC}-0-77`, key: '17' });
    const doc = ok(o);
    expect(doc).toMatchObject({
      event_id: `${TOPIC}-0-77`,
      event_type: 'page_visit',
      user_id: 17,
      page_id: 3,
      timestamp: '2026-01-11 08:05:09',
      event_time: '2026-01-11T08:05:09.000Z',
      hour_of_day: 8,
      weekday: 7,
      weekday_name: 'Sunday',
      is_weekend: true,
      is_purchase: false,
    });
    expect(doc.revenue).toBeUndefined();
    expect(unmappedFields(doc, interactionsIndexing)).toEqual([]);
  });

  it('uses the source\'s event_id when there is one', () => {
    const o = run(interactionsProcessing, TOPIC, { ...visit, event_id: 'evt-1' });
    expect(o).toMatchObject({ kind: 'ok', id: 'evt-1', document: { event_id: 'evt-1' } });
  });

  it('turns a purchase into revenue in its currency', () => {
    const doc = ok(run(interactionsProcessing, TOPIC, { ...visit, event_type: 'purchase', amount: 42.5, currency: 'EUR' }));
    expect(doc).toMatchObject({ is_purchase: true, revenue: 42.5, amount: 42.5, currency: 'EUR' });
    expect(unmappedFields(doc, interactionsIndexing)).toEqual([]);
  });

  it('keeps a search query', () => {
    expect(ok(run(interactionsProcessing, TOPIC, { ...visit, event_type: 'search', query: ' red shoes ' })).query).toBe('red shoes');
  });

  it.each([
    ['event_type', { event_type: 'hover' }],
    ['user_id', { user_id: '17' }],
    ['page_id', { page_id: 1.5 }],
    ['timestamp', { timestamp: '2026-01-11T08:05:09Z' }],
    ['timestamp', { timestamp: '2026-02-30 08:05:09' }],
    ['amount', { event_type: 'purchase', currency: 'USD' }],
    ['amount', { event_type: 'purchase', amount: 0, currency: 'USD' }],
    ['currency', { event_type: 'purchase', amount: 3 }],
    ['currency', { event_type: 'purchase', amount: 3, currency: 'usd' }],
  ])('dead-letters a bad %s naming the field', (field, patch) => {
    expect(run(interactionsProcessing, TOPIC, { ...visit, ...patch })).toMatchObject({ kind: 'dead', reason: { code: DeadLetterCode.SCHEMA, path: field } });
  });

  it('names its source shape and records no defect on a clean event', () => {
    expect(ok(run(interactionsProcessing, TOPIC, visit)).quality).toEqual({ dialect: 'interactions' });
  });

  it.each([['x'.repeat(513)], [42]])('keeps an event whose search query is unusable, leaving the query out (%#)', (query) => {
    const doc = ok(run(interactionsProcessing, TOPIC, { ...visit, event_type: 'search', query }));
    expect(doc).not.toHaveProperty('query');
    expect(doc.quality).toEqual({ dialect: 'interactions', defects: ['query_invalid'] });
    expect(unmappedFields(doc, interactionsIndexing)).toEqual([]);
  });

  it('says what kind of timestamp it got when it is not the expected text', () => {
    expect(run(interactionsProcessing, TOPIC, { ...visit, timestamp: 1768392000 })).toEqual({
      kind: 'dead',
      reason: { code: DeadLetterCode.SCHEMA, path: 'timestamp', message: 'timestamp: expected "YYYY-MM-DD HH:MM:SS" text (UTC), got a number' },
    });
  });

  it('dead-letters an event from the far future by its timestamp', () => {
    expect(run(interactionsProcessing, TOPIC, { ...visit, timestamp: text(NOW + 86_400_000) })).toMatchObject({
      kind: 'dead',
      reason: { code: DeadLetterCode.TIMESTAMP_OUT_OF_RANGE, path: 'timestamp' },
    });
  });
});

describe('interactions chain: generator', () => {
  const records = take(interactionsGeneration.generator({ seed: 5, startTimeMs: NOW - 3600_000 }), 20_000);
  const values = records.map((r) => JSON.parse(r.value!.toString()) as Record<string, any>);

  it('produces valid, mapped records keyed by user', () => {
    for (const [i, r] of records.entries()) {
      expect(r.topic).toBe(TOPIC);
      expect(r.key).toBe(String(values[i]!.user_id));
      const doc = ok(runGenerated(interactionsProcessing, r));
      const unmapped = unmappedFields(doc, interactionsIndexing);
      if (unmapped.length > 0) throw new Error(`unmapped ${unmapped.join(', ')}`);
      expect(Date.parse(doc.event_time)).toBe(r.eventTimeMs);
    }
  });

  it('follows a shop funnel: many visits, fewer clicks, carts and searches, few purchases, some signups', () => {
    const count = (t: string) => values.filter((v) => v.event_type === t).length;
    const visits = count('page_visit');
    expect(visits).toBeGreaterThan(count('click'));
    expect(count('click')).toBeGreaterThan(count('add_to_cart'));
    expect(count('add_to_cart')).toBeGreaterThan(count('purchase'));
    expect(count('search')).toBeLessThan(visits);
    expect(count('purchase')).toBeGreaterThan(0);
    expect(count('purchase')).toBeLessThan(0.1 * records.length);
    expect(count('signup')).toBeGreaterThan(0);
    expect(visits).toBeGreaterThan(0.35 * records.length);
  });

  it('puts amounts in a few currencies on purchases only, and event_id on most records but not all', () => {
    const purchases = values.filter((v) => v.event_type === 'purchase');
    expect(purchases.every((v) => v.amount > 0 && /^[A-Z]{3}$/.test(v.currency))).toBe(true);
    expect(new Set(purchases.map((v) => v.currency)).size).toBeGreaterThanOrEqual(3);
    expect(values.filter((v) => v.event_type !== 'purchase').some((v) => 'amount' in v)).toBe(false);
    const withId = values.filter((v) => typeof v.event_id === 'string');
    expect(withId.length).toBeGreaterThan(0.8 * values.length);
    expect(withId.length).toBeLessThan(values.length);
    expect(new Set(withId.map((v) => v.event_id)).size).toBe(withId.length);
    expect(new Set(values.map((v) => v.user_id)).size).toBeGreaterThan(500);
  });

  it('is deterministic per seed', () => {
    const again = take(interactionsGeneration.generator({ seed: 5, startTimeMs: NOW - 3600_000 }), 100);
    expect(again.map((r) => r.value!.toString())).toEqual(records.slice(0, 100).map((r) => r.value!.toString()));
  });

  it('dead-letters every malformed kind', () => {
    const kinds = malformedKinds(interactionsGeneration.malformed);
    expect(kinds).toContain('purchase_without_amount');
    const pick = picker();
    for (const kind of kinds) {
      for (const r of records.slice(0, 40)) {
        const bad = corrupt(r, kind, interactionsGeneration.malformed, pick, NOW);
        const o = runGenerated(interactionsProcessing, bad);
        if (o.kind !== 'dead') throw new Error(`${kind} was ${o.kind}: ${bad.value?.toString().slice(0, 300)}`);
      }
    }
  });
});
