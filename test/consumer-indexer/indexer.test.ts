import { Registry } from 'prom-client';
import { loginIndexing as loginChain } from '../../pipeline/chains/login/indexing';
import { DeadLetterCode, DeadLetterHeader, EVENT_ID_HEADER, readDeadLetterHeaders, toDeadLetter, type SourceRecord } from '../../pipeline/core';
import { createLogger } from '../../pipeline/logger';
import type { BulkCallbacks, BulkItem } from '../../pipeline/opensearch';
import { Indexer, retryCause, type DocumentBulk } from '../../consumer-indexer/src/indexer';
import { FakeConsumer, FakeProducer, counterValue, permanent, retryable } from '../helpers/fakeKafka';

const { output: TOPIC, deadLetter: DLQ } = loginChain.topics;
const ALIAS = loginChain.index.alias;

/** A bulk indexer without OpenSearch: keeps what was added; the test answers through `callbacks`. */
class FakeBulk implements DocumentBulk {
  readonly items: BulkItem<SourceRecord>[] = [];
  readonly stats = { total: 0, indexed: 0, failed: 0, retried: 0, requests: 0, ms: 0 };
  constructor(readonly callbacks: BulkCallbacks<SourceRecord>) {}
  get pending(): number {
    return this.items.length;
  }
  add(item: BulkItem<SourceRecord>): void {
    this.items.push(item);
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

let offset = 0;
function recordOf(value: string | null, headers: SourceRecord['headers'] = []): SourceRecord {
  return { topic: TOPIC, partition: 2, offset: offset++, key: null, value: value === null ? null : Buffer.from(value), headers };
}
const withHeader = (id: string, doc: object = { user_id: 'u' }) => recordOf(JSON.stringify(doc), [{ key: EVENT_ID_HEADER, value: Buffer.from(id) }]);

function setup() {
  const consumer = new FakeConsumer();
  const producer = new FakeProducer();
  const registry = new Registry();
  const fatal: Error[] = [];
  let bulk: FakeBulk | undefined;
  const indexer = new Indexer({
    consumer,
    producer,
    chains: [loginChain],
    deadLetters: { alias: 'dead-letters', brokers: 'b:9092' },
    health: { topic: 'health', index: { prefix: 'streamdex-health' } },
    logger: createLogger('test', 'silent'),
    registry,
    bulk: (callbacks) => (bulk = new FakeBulk(callbacks)),
    onFatal: (err) => fatal.push(err),
  });
  const records = (outcome: string, code = '') => counterValue(registry, 'streamdex_indexer_records_total', { chain: 'login', outcome, code });
  return { consumer, producer, registry, indexer, bulk: bulk!, fatal, records };
}

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

describe('Indexer', () => {
  it('indexes under the event-id header, the bytes as they are, and acks only when OpenSearch stored them', async () => {
    const { consumer, producer, indexer, bulk, records } = setup();
    const input = [withHeader('id-1'), withHeader('id-2'), withHeader('id-3')];
    indexer.handle(input);
    expect(bulk.items.map((i) => [i.index, i.id, i.ref])).toEqual(input.map((r, n) => [ALIAS, `id-${n + 1}`, r]));
    expect(bulk.items[0]!.source).toBe(input[0]!.value);
    expect(consumer.acked).toEqual([]);
    bulk.callbacks.onIndexed([input[0]!, input[2]!]);
    expect(consumer.acked).toEqual([input[0], input[2]]);
    expect(producer.sent).toEqual([]);
    expect(await records('indexed')).toBe(2);
  });

  it('takes the id from the document when the header is missing', () => {
    const { indexer, bulk } = setup();
    indexer.handle([recordOf(JSON.stringify({ event_id: 'from-body' }))]);
    expect(bulk.items.map((i) => i.id)).toEqual(['from-body']);
  });

  it.each([
    ['no header and no event_id', '{"user_id":"u"}', 'processed record has no event id'],
    ['no header and not JSON', 'not json', 'processed record has no event id'],
    ['no value', null, 'processed record has no value'],
  ])('dead-letters a record with %s (document_unreadable), acking after delivery', async (_name, value, message) => {
    const { consumer, producer, indexer, bulk, records } = setup();
    const r = recordOf(value);
    indexer.handle([r]);
    expect(bulk.items).toEqual([]);
    expect(producer.sent.map((o) => o.topic)).toEqual([DLQ]);
    expect(readDeadLetterHeaders(producer.sent[0]!.headers!)).toMatchObject({
      [DeadLetterHeader.CODE]: DeadLetterCode.DOCUMENT_UNREADABLE,
      [DeadLetterHeader.REASON]: message,
      [DeadLetterHeader.STAGE]: 'indexer',
      [DeadLetterHeader.SOURCE_TOPIC]: TOPIC,
      [DeadLetterHeader.SOURCE_OFFSET]: String(r.offset),
    });
    expect(consumer.acked).toEqual([]);
    producer.deliver();
    expect(consumer.acked).toEqual([r]);
    expect(await records('dead_letter', DeadLetterCode.DOCUMENT_UNREADABLE)).toBe(1);
  });

  it('dead-letters a document OpenSearch rejected (index_rejected, with the field) and acks it after delivery', async () => {
    const { consumer, producer, indexer, bulk, records } = setup();
    const r = withHeader('id-1');
    indexer.handle([r]);
    bulk.callbacks.onRejected(r, { status: 400, type: 'mapper_parsing_exception', reason: 'failed to parse', field: 'geo.location' });
    expect(readDeadLetterHeaders(producer.sent[0]!.headers!)).toMatchObject({
      [DeadLetterHeader.CODE]: DeadLetterCode.INDEX_REJECTED,
      [DeadLetterHeader.REASON]: '400 mapper_parsing_exception: failed to parse',
      [DeadLetterHeader.FIELD]: 'geo.location',
    });
    expect(producer.sent[0]!.value).toEqual(r.value);
    expect(consumer.acked).toEqual([]);
    producer.deliver();
    expect(consumer.acked).toEqual([r]);
    expect(await records('dead_letter', DeadLetterCode.INDEX_REJECTED)).toBe(1);
  });

  it('re-sends a dead letter whose delivery failed retryably and acks once', () => {
    const { consumer, producer, indexer } = setup();
    producer.outcome = (_r, attempt) => (attempt === 1 ? retryable() : null);
    const r = recordOf(null);
    indexer.handle([r]);
    producer.deliver();
    jest.advanceTimersByTime(30_000);
    expect(producer.sent).toHaveLength(2);
    producer.deliver();
    jest.runAllTimers();
    expect(consumer.acked).toEqual([r]);
  });

  it('stops the service, leaving the record unacknowledged, when a dead letter is refused for good', () => {
    const { consumer, producer, indexer, fatal } = setup();
    producer.outcome = () => permanent();
    indexer.handle([recordOf(null)]);
    producer.deliver();
    expect(fatal).toHaveLength(1);
    expect(consumer.acked).toEqual([]);
  });

  it('counts bulk retries and reports pending documents', async () => {
    const { indexer, bulk, registry } = setup();
    indexer.handle([withHeader('a'), withHeader('b')]);
    bulk.callbacks.onRetry!(2, 100, '429');
    expect(await counterValue(registry, 'streamdex_indexer_retried_documents_total')).toBe(2);
    expect(await counterValue(registry, 'streamdex_indexer_pending_documents')).toBe(2);
  });

  it('leaves a record of a topic no chain claims unacknowledged', () => {
    const { consumer, producer, indexer, bulk } = setup();
    indexer.handle([{ ...withHeader('a'), topic: 'elsewhere' }]);
    expect(bulk.items).toEqual([]);
    expect(producer.sent).toEqual([]);
    expect(consumer.acked).toEqual([]);
  });

  describe('on the dead-letter topic', () => {
    const source: SourceRecord = { topic: 'user-login', partition: 1, offset: 41, key: Buffer.from('u'), value: Buffer.from([0xc3, 0x28]), headers: [] };
    const deadLetter = (): SourceRecord => ({
      ...toDeadLetter(source, { code: DeadLetterCode.INVALID_UTF8, message: 'not UTF-8' }, 'processor', 'login', Date.UTC(2026, 0, 1)),
      topic: DLQ,
      partition: 0,
      offset: offset++,
    });

    it('indexes each dead letter into the dead-letter alias under its source coordinates, acking once stored', async () => {
      const { consumer, indexer, bulk, producer, records } = setup();
      const r = deadLetter();
      indexer.handle([r]);
      expect(bulk.items.map((i) => [i.index, i.id])).toEqual([['dead-letters', 'user-login-1-41']]);
      expect(JSON.parse(bulk.items[0]!.source.toString('utf8'))).toMatchObject({
        chain: 'login',
        code: DeadLetterCode.INVALID_UTF8,
        source: { topic: 'user-login', partition: 1, offset: 41 },
        dead_letter: { topic: DLQ, partition: 0, offset: r.offset },
        value: { original_bytes: 2, preview_encoding: 'base64', preview: 'wyg=' },
      });
      expect(consumer.acked).toEqual([]);
      bulk.callbacks.onIndexed([r]);
      expect(consumer.acked).toEqual([r]);
      expect(producer.sent).toEqual([]);
      expect(await records('dead_letter_indexed')).toBe(1);
      expect(await records('indexed')).toBe(0);
    });

    it('never dead-letters a dead letter OpenSearch refuses: counts it, logs it and acks it (it stays on its topic)', async () => {
      const { consumer, indexer, bulk, producer, registry } = setup();
      const r = deadLetter();
      indexer.handle([r]);
      bulk.callbacks.onRejected(r, { status: 400, type: 'mapper_parsing_exception', reason: 'failed to parse' });
      expect(producer.sent).toEqual([]);
      expect(consumer.acked).toEqual([r]);
      expect(await counterValue(registry, 'streamdex_indexer_dead_letter_documents_rejected_total', { chain: 'login' })).toBe(1);
    });
  });

  describe('on the health topic', () => {
    const healthRecord = (value: string | null): SourceRecord => ({ topic: 'health', partition: 1, offset: offset++, key: null, value: value === null ? null : Buffer.from(value), headers: [] });

    it("indexes each health record as it is into its sampling day's index, under its coordinates", async () => {
      const { consumer, indexer, bulk, producer, registry } = setup();
      const r = healthRecord(JSON.stringify({ kind: 'process', service: 's', sampled_at: '2026-12-01T23:59:59.000Z' }));
      indexer.handle([r]);
      expect(bulk.items.map((i) => [i.index, i.id])).toEqual([['streamdex-health-2026.12.01', `health-1-${r.offset}`]]);
      expect(bulk.items[0]!.source).toBe(r.value);
      bulk.callbacks.onIndexed([r]);
      expect(consumer.acked).toEqual([r]);
      expect(producer.sent).toEqual([]);
      expect(await counterValue(registry, 'streamdex_indexer_records_total', { chain: '', outcome: 'health_indexed', code: '' })).toBe(1);
    });

    it.each([['not JSON', 'nope'], ['no sampled_at', '{"kind":"process"}'], ['no value', null]])('drops a health record with %s: acked, counted, never dead-lettered', async (_n, value) => {
      const { consumer, indexer, bulk, producer, registry } = setup();
      const r = healthRecord(value);
      indexer.handle([r]);
      expect(bulk.items).toEqual([]);
      expect(producer.sent).toEqual([]);
      expect(consumer.acked).toEqual([r]);
      expect(await counterValue(registry, 'streamdex_indexer_health_records_dropped_total')).toBe(1);
    });

    it('drops a health record OpenSearch refuses, without a dead letter', async () => {
      const { consumer, indexer, bulk, producer, registry } = setup();
      const r = healthRecord('{"sampled_at":"2026-12-01T00:00:00Z","bogus":1}');
      indexer.handle([r]);
      bulk.callbacks.onRejected(r, { status: 400, type: 'strict_dynamic_mapping_exception', reason: 'bogus' });
      expect(producer.sent).toEqual([]);
      expect(consumer.acked).toEqual([r]);
      expect(await counterValue(registry, 'streamdex_indexer_health_records_dropped_total')).toBe(1);
    });
  });

  it('counts bulk retries by cause, and every bulk request by size and duration', async () => {
    const { bulk, registry } = setup();
    bulk.callbacks.onRetry!(3, 100, '429 es_rejected_execution_exception');
    bulk.callbacks.onRetry!(1, 100, '503 unavailable');
    bulk.callbacks.onRequest!(250, 40);
    expect(await counterValue(registry, 'streamdex_indexer_bulk_retries_total', { cause: '429' })).toBe(1);
    expect(await counterValue(registry, 'streamdex_indexer_bulk_retries_total', { cause: '5xx' })).toBe(1);
    const metrics = await registry.getMetricsAsJSON();
    const docs = metrics.find((m) => m.name === 'streamdex_indexer_bulk_request_documents')!;
    expect((docs.values as Array<{ metricName?: string; value: number }>).find((v) => v.metricName === 'streamdex_indexer_bulk_request_documents_sum')!.value).toBe(250);
  });
});

describe('retryCause', () => {
  it.each([
    ['429 es_rejected_execution_exception', '429'],
    ['{"status":429,"error":{"type":"too_many_requests"}}', '429'],
    ['503 unavailable_shards_exception', '5xx'],
    ['{"status":502}', '5xx'],
    ['connect ECONNREFUSED 127.0.0.1:9200', 'unreachable'],
    ['Request timed out', 'unreachable'],
  ])('%s -> %s', (cause, expected) => {
    expect(retryCause(cause)).toBe(expected);
  });
});
