import { Registry } from 'prom-client';
import { profilesProcessing } from '../../pipeline/chains/profiles/processing';
import { DeadLetterCode, DeadLetterHeader, EVENT_ID_HEADER, readDeadLetterHeaders, type SourceRecord } from '../../pipeline/core';
import { IpMode } from '../../pipeline/enrich';
import { createLogger } from '../../pipeline/logger';
import { randomUser } from '../../producer/src/generators/profiles';
import { Processor } from '../../consumer-processor/src/processor';
import { FakeConsumer, FakeProducer, headerOf, permanent } from '../helpers/fakeKafka';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const { output: OUTPUT, deadLetter: DLQ } = profilesProcessing.topics;
const IDS = ['1b4e28ba-2fa1-11d2-883f-0016d3cca427', '6a419018-a6eb-465c-b6b7-e1437182aa2b', '16fe95d7-a383-4c40-9f0d-98ffe00244a6'];

function recordOf(value: object, offset: number): SourceRecord {
  return { topic: 'user-profiles', partition: 0, offset, key: null, value: Buffer.from(JSON.stringify(value)), headers: [], timestamp: NOW - 1000 };
}

function setup() {
  const consumer = new FakeConsumer();
  const producer = new FakeProducer();
  const processor = new Processor({
    consumer,
    producer,
    chains: [profilesProcessing],
    logger: createLogger('test', 'silent'),
    registry: new Registry(),
    context: { ipMode: IpMode.MASK, ipHashSecret: undefined, currentAppVersion: '2.3.0', maxEventAgeMs: 3650 * 86_400_000, maxFutureSkewMs: 3600_000 },
    maxRecordBytes: 64 * 1024,
    filters: [],
    onFatal: () => undefined,
  });
  return { consumer, producer, processor };
}

beforeEach(() => jest.useFakeTimers({ now: NOW }));
afterEach(() => jest.useRealTimers());

describe('Processor, records that carry several events', () => {
  it('sends one output per user of a response, keyed and identified by login.uuid, and acks the record once, after the last', () => {
    const { consumer, producer, processor } = setup();
    const response = recordOf({ results: IDS.map((id) => randomUser(id, 'US', NOW)), info: { seed: 's', results: 3, page: 1, version: '1.4' } }, 5);
    processor.handle([response]);
    expect(producer.sent.map((r) => [r.topic, r.key, headerOf(r, EVENT_ID_HEADER)])).toEqual(IDS.map((id) => [OUTPUT, id, id]));
    for (const r of producer.sent) expect(r.value!.toString()).not.toMatch(/"(password|salt|md5|sha1|sha256)"/);
    expect(consumer.acked).toEqual([]);
    producer.deliver();
    expect(consumer.acked).toEqual([response]);
  });

  it('with a bad user among good ones: the good ones go out, the record is dead-lettered once, and acked once all are delivered', () => {
    const { consumer, producer, processor } = setup();
    const bad = { ...randomUser(IDS[1]!, 'US', NOW), nat: 'usa' };
    const response = recordOf({ results: [randomUser(IDS[0]!, 'US', NOW), bad, randomUser(IDS[2]!, 'US', NOW)], info: {} }, 6);
    processor.handle([response]);
    expect(producer.sent.map((r) => r.topic)).toEqual([OUTPUT, OUTPUT, DLQ]);
    const dlq = readDeadLetterHeaders(producer.sent[2]!.headers!);
    expect(dlq[DeadLetterHeader.CODE]).toBe(DeadLetterCode.SCHEMA);
    expect(dlq[DeadLetterHeader.FIELD]).toBe('results.1.nat');
    // The response's bytes for replay, its users' credentials replaced (and named in a header).
    const original = JSON.parse(response.value!.toString()) as { results: Array<{ login: Record<string, string> }> };
    for (const u of original.results) for (const k of ['password', 'salt', 'md5', 'sha1', 'sha256']) u.login[k] = '[redacted]';
    expect(JSON.parse(producer.sent[2]!.value!.toString())).toEqual(original);
    expect(dlq[DeadLetterHeader.REDACTED]).toBe('md5,password,salt,sha1,sha256');
    producer.deliver();
    expect(consumer.acked).toEqual([response]);
  });

  it('dead-letters the record once when several of its outputs are refused for good, and acks it once', () => {
    const { consumer, producer, processor } = setup();
    producer.outcome = (r) => (r.topic === OUTPUT ? permanent() : null);
    const response = recordOf({ results: IDS.map((id) => randomUser(id, 'US', NOW)), info: {} }, 7);
    processor.handle([response]);
    producer.deliver();
    const deadLetters = producer.sent.filter((r) => r.topic === DLQ);
    expect(deadLetters).toHaveLength(1);
    expect(readDeadLetterHeaders(deadLetters[0]!.headers!)[DeadLetterHeader.CODE]).toBe(DeadLetterCode.DELIVERY_FAILED);
    expect(consumer.acked).toEqual([]);
    producer.deliver();
    expect(consumer.acked).toEqual([response]);
  });
});
