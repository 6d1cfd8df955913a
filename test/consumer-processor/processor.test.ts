import { Registry } from 'prom-client';
import { loginProcessing as loginChain } from '../../pipeline/chains/login/processing';
import { musicProcessing } from '../../pipeline/chains/music/processing';
import { MusicTopic } from '../../pipeline/chains/music/topics';
import { IpMode } from '../../pipeline/enrich';
import { DeadLetterCode, DeadLetterHeader, EVENT_ID_HEADER, readDeadLetterHeaders, type FilterRule, type SourceRecord } from '../../pipeline/core';
import { ClosedError } from '../../pipeline/errors';
import { createLogger } from '../../pipeline/logger';
import { Processor } from '../../consumer-processor/src/processor';
import { FakeConsumer, FakeProducer, counterValue, headerOf, permanent, retryable } from '../helpers/fakeKafka';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const TOPIC = loginChain.topics.inputs[0]!;
const { output: OUTPUT, deadLetter: DLQ } = loginChain.topics;

const login = (user: string) => ({ user_id: user, app_version: '2.2.0', ip: '8.8.8.8', locale: 'RI', device_id: 'd-1', device_type: 'android', timestamp: NOW / 1000 - 60 });

let offset = 0;
function recordOf(value: Buffer | null | object, over: Partial<SourceRecord> = {}): SourceRecord {
  const bytes = value === null || Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value));
  return { topic: TOPIC, partition: 1, offset: offset++, key: Buffer.from('k'), value: bytes, headers: [{ key: 'trace', value: Buffer.from('t-1') }], timestamp: NOW - 1000, ...over };
}

function setup(filters: FilterRule[] = []) {
  const consumer = new FakeConsumer();
  const producer = new FakeProducer();
  const registry = new Registry();
  const fatal: Error[] = [];
  const processor = new Processor({
    consumer,
    producer,
    chains: [loginChain],
    logger: createLogger('test', 'silent'),
    registry,
    context: { ipMode: IpMode.MASK, ipHashSecret: undefined, currentAppVersion: '2.3.0', maxEventAgeMs: 3650 * 86_400_000, maxFutureSkewMs: 3600_000 },
    maxRecordBytes: 64 * 1024,
    filters,
    onFatal: (err) => fatal.push(err),
  });
  const records = (outcome: string, code = '') => counterValue(registry, 'streamdex_processor_records_total', { chain: 'login', outcome, code });
  return { consumer, producer, registry, processor, fatal, records };
}

beforeEach(() => jest.useFakeTimers({ now: NOW }));
afterEach(() => jest.useRealTimers());

describe('Processor', () => {
  it('sends N good records to the processed topic with key and event-id header, and acks each once after delivery', async () => {
    const { consumer, producer, processor, records } = setup();
    const input = Array.from({ length: 25 }, (_, i) => recordOf(login(`u-${i}`)));
    processor.handle(input);
    expect(producer.sent).toHaveLength(25);
    expect(consumer.acked).toEqual([]);
    for (const [i, out] of producer.sent.entries()) {
      expect(out.topic).toBe(OUTPUT);
      expect(out.key).toBe(`u-${i}`);
      expect(headerOf(out, EVENT_ID_HEADER)).toBe(`${TOPIC}-1-${input[i]!.offset}`);
      expect(JSON.parse(out.value!.toString())).toMatchObject({ event_id: `${TOPIC}-1-${input[i]!.offset}`, user_id: `u-${i}` });
      expect(out.timestamp).toBe(NOW - 1000);
    }
    producer.deliver();
    expect(consumer.acked).toEqual(input);
    expect(await records('processed')).toBe(25);
  });

  it('dead-letters malformed records with the dlq headers and the original bytes, acking only after delivery', async () => {
    const { consumer, producer, processor, records } = setup();
    const notJson = recordOf(Buffer.from('{nope'));
    const tombstone = recordOf(null);
    processor.handle([notJson, tombstone]);
    expect(producer.sent.map((r) => r.topic)).toEqual([DLQ, DLQ]);
    const headers = readDeadLetterHeaders(producer.sent[0]!.headers!);
    expect(headers).toMatchObject({
      [DeadLetterHeader.CODE]: DeadLetterCode.NOT_JSON,
      [DeadLetterHeader.STAGE]: 'processor',
      [DeadLetterHeader.CHAIN]: 'login',
      [DeadLetterHeader.SOURCE_TOPIC]: TOPIC,
      [DeadLetterHeader.SOURCE_PARTITION]: '1',
      [DeadLetterHeader.SOURCE_OFFSET]: String(notJson.offset),
    });
    expect(producer.sent[0]!.value).toEqual(Buffer.from('{nope'));
    expect(headerOf(producer.sent[0]!, 'trace')).toBe('t-1');
    expect(headerOf(producer.sent[1]!, DeadLetterHeader.CODE)).toBe(DeadLetterCode.TOMBSTONE);
    expect(consumer.acked).toEqual([]);
    producer.deliver();
    expect(consumer.acked).toEqual([notJson, tombstone]);
    expect(await records('dead_letter', DeadLetterCode.NOT_JSON)).toBe(1);
    expect(await records('dead_letter', DeadLetterCode.TOMBSTONE)).toBe(1);
  });

  it('acks a record a drop rule matches without sending anything', async () => {
    const { consumer, producer, processor, records } = setup([{ name: 'no-android', field: 'device_type', equals: 'android', action: 'drop' }]);
    const r = recordOf(login('u-1'));
    processor.handle([r]);
    expect(producer.sent).toEqual([]);
    expect(consumer.acked).toEqual([r]);
    expect(await records('filtered', 'no-android')).toBe(1);
  });

  it('sends a routed record, as consumed, to the rule topic and acks it after delivery', async () => {
    const { consumer, producer, processor, records } = setup([{ name: 'us', field: 'geo.country', equals: 'US', action: 'route', topic: 'review' }]);
    const r = recordOf(login('u-1'));
    processor.handle([r]);
    expect(producer.sent).toEqual([{ topic: 'review', key: r.key, value: r.value, headers: r.headers }]);
    expect(consumer.acked).toEqual([]);
    producer.deliver();
    expect(consumer.acked).toEqual([r]);
    expect(await records('routed', 'us')).toBe(1);
  });

  it('re-sends an output whose delivery failed retryably and acks its record once', async () => {
    const { consumer, producer, processor, registry } = setup();
    // The first two deliveries fail, the third is acknowledged.
    producer.outcome = (_r, attempt) => (attempt <= 2 ? retryable() : null);
    const r = recordOf(login('u-1'));
    processor.handle([r]);
    for (let i = 0; i < 2; i++) {
      producer.deliver();
      expect(consumer.acked).toEqual([]);
      jest.advanceTimersByTime(30_000);
    }
    expect(producer.sent).toHaveLength(3);
    producer.deliver();
    jest.runAllTimers();
    expect(consumer.acked).toEqual([r]);
    expect(await counterValue(registry, 'streamdex_processor_delivery_retries_total')).toBe(2);
  });

  it('dead-letters the source of an output refused for good (delivery_failed) and acks after the dead letter', () => {
    const { consumer, producer, processor, fatal } = setup();
    producer.outcome = (out) => (out.topic === OUTPUT ? permanent('message too large') : null);
    const r = recordOf(login('u-1'));
    processor.handle([r]);
    producer.deliver();
    expect(producer.sent.map((o) => o.topic)).toEqual([OUTPUT, DLQ]);
    const dl = producer.sent[1]!;
    expect(headerOf(dl, DeadLetterHeader.CODE)).toBe(DeadLetterCode.DELIVERY_FAILED);
    expect(headerOf(dl, DeadLetterHeader.REASON)).toBe(`delivery to ${OUTPUT} failed: message too large`);
    expect(dl.value).toEqual(r.value);
    expect(consumer.acked).toEqual([]);
    producer.deliver();
    expect(consumer.acked).toEqual([r]);
    expect(fatal).toEqual([]);
  });

  it('stops the service, leaving the record unacknowledged, when a dead letter is refused for good', () => {
    const { consumer, producer, processor, fatal } = setup();
    producer.outcome = () => permanent();
    processor.handle([recordOf(login('u-1')), recordOf(Buffer.from('x'))]);
    producer.deliver(); // the output fails: its source goes to the dead-letter topic
    producer.deliver(); // both dead letters fail
    expect(producer.sent.map((o) => o.topic)).toEqual([OUTPUT, DLQ, DLQ]);
    expect(fatal).toHaveLength(2);
    expect(fatal[0]!.message).toContain(DLQ);
    expect(consumer.acked).toEqual([]);
    jest.runAllTimers();
    expect(producer.sent).toHaveLength(3);
  });

  it('leaves the record unacknowledged, without a dead letter or a fatal stop, once the producer is closed', () => {
    const { consumer, producer, processor, fatal } = setup();
    producer.throwing = new ClosedError('producer');
    processor.handle([recordOf(login('u-1')), recordOf(Buffer.from('x'))]);
    expect(producer.sent).toEqual([]);
    expect(consumer.acked).toEqual([]);
    expect(fatal).toEqual([]);
  });

  it('leaves a record of a topic no chain claims unacknowledged and sends nothing', () => {
    const { consumer, producer, processor } = setup();
    processor.handle([recordOf(login('u-1'), { topic: 'elsewhere' })]);
    expect(producer.sent).toEqual([]);
    expect(consumer.acked).toEqual([]);
  });

  it('reports the consumer in-flight count as a gauge', async () => {
    const { consumer, registry } = setup();
    consumer.tracker.inFlight = 42;
    expect(await counterValue(registry, 'streamdex_processor_in_flight')).toBe(42);
  });
});

describe('Processor: text repairs', () => {
  const original = { ts: NOW - 60_000, userId: '30', sessionId: 6001, page: 'NextSong', auth: 'Logged In', method: 'PUT', status: 200, level: 'paid', itemInSession: 1, location: 'Bakersfield, CA', lastName: 'Freeman', firstName: 'Colin', registration: 1538173362000, gender: 'M', length: 305.05751 };

  it('counts each field repaired from mojibake in streamdex_text_repairs_total{chain,field}, and nothing for clean or ambiguous text', async () => {
    const registry = new Registry();
    const producer = new FakeProducer();
    const processor = new Processor({
      consumer: new FakeConsumer(),
      producer,
      chains: [loginChain, musicProcessing],
      logger: createLogger('test', 'silent'),
      registry,
      context: { ipMode: IpMode.MASK, ipHashSecret: undefined, currentAppVersion: '2.3.0', maxEventAgeMs: 3650 * 86_400_000, maxFutureSkewMs: 3600_000 },
      maxRecordBytes: 64 * 1024,
      filters: [],
      onFatal: () => undefined,
    });
    const pageView = (artist: string, song: string) => recordOf({ ...original, artist, song }, { topic: MusicTopic.PAGE_VIEW });
    processor.handle([pageView('Bj\u00c3\u00b6rk', 'J\u00c3\u00b3ga'), pageView('Bj\u00c3\u00b6rk', 'Hyperballad'), pageView('Sigur R\u00f3s', 'Hoppipolla'), pageView('S\u00c3O PAULO', 'x'), recordOf(login('u-1'))]);
    expect(producer.sent.map((r) => JSON.parse(r.value!.toString()).artist ?? 'login')).toEqual(['Björk', 'Björk', 'Sigur Rós', 'S\u00c3O PAULO', 'login']);
    const repairs = (chain: string, field: string) => counterValue(registry, 'streamdex_text_repairs_total', { chain, field });
    expect(await repairs('music', 'artist')).toBe(2);
    expect(await repairs('music', 'song')).toBe(1);
    expect(await repairs('login', 'artist')).toBe(0);
  });
});
