import { Registry } from 'prom-client';
import { loginIndexing as loginChain } from '../../pipeline/chains/login/indexing';
import { DeadLetterCode, DeadLetterHeader, EVENT_ID_HEADER, readDeadLetterHeaders, type SourceRecord } from '../../pipeline/core';
import { createLogger } from '../../pipeline/logger';
import type { BulkCallbacks, BulkItem } from '../../pipeline/opensearch';
import { Indexer, type DocumentBulk } from '../../consumer-indexer/src/indexer';
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
});
