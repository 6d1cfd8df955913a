import { Registry } from 'prom-client';
import { decodeCheckpoint, streamSpecs } from '../../pipeline/analytics';
import { loginAnalytics } from '../../pipeline/chains/login/analytics';
import { loadConfig } from '../../pipeline/config';
import { EVENT_ID_HEADER, type SourceRecord } from '../../pipeline/core';
import type { CommitOffset } from '../../pipeline/kafka';
import { createLogger } from '../../pipeline/logger';
import { Analytics } from '../../consumer-analytics/src/analytics';
import { analyticsSettings } from '../../consumer-analytics/src/options';
import { FakeProducer, headerOf, permanent } from '../helpers/fakeKafka';

const T0 = Date.UTC(2026, 0, 1, 0, 0, 0);
const TOPIC = 'processed-user-login';

function setup(committed: CommitOffset[] = []) {
  const settings = loadConfig(analyticsSettings, {});
  const { events } = streamSpecs('login', loginAnalytics.analytics, { aggregateSizesMs: [10_000], allowedLatenessMs: 0, settings: { ...settings, ALERT_LOGIN_BURST_WINDOW_SECONDS: 10, ALERT_TRAVEL_WINDOW_SECONDS: 10 } });
  const producer = new FakeProducer();
  const acked: SourceRecord[] = [];
  const fatal: Error[] = [];
  const asked: string[][] = [];
  const consumer = {
    ack: (r: Pick<SourceRecord, 'topic' | 'partition' | 'offset'>) => void acked.push(r as SourceRecord),
    committed: async (ps: readonly { topic: string; partition: number }[]) => {
      asked.push(ps.map((p) => `${p.topic}/${p.partition}`));
      return committed;
    },
  };
  const analytics = new Analytics({
    consumer,
    producer,
    streams: [{ topic: TOPIC, spec: events, aggregatesTopic: 'aggs', eventTimeField: 'event_time' }],
    alertsTopic: 'alerts',
    logger: createLogger('test', 'silent'),
    registry: new Registry(),
    onFatal: (e) => void fatal.push(e),
  });
  return { analytics, producer, acked, fatal, asked };
}

const record = (offset: number, seconds: number, user = 'u', partition = 0): SourceRecord => ({
  topic: TOPIC,
  partition,
  offset,
  key: Buffer.from(user),
  value: Buffer.from(JSON.stringify({ user_id: user, event_time: new Date(T0 + seconds * 1000).toISOString(), geo: { country: 'FR' } })),
  headers: [{ key: EVENT_ID_HEADER, value: Buffer.from(`user-login-${partition}-${offset}`) }],
});

describe('Analytics (the service shell)', () => {
  it('acknowledges a window\'s records only when the broker confirmed every output of it', async () => {
    const { analytics, producer, acked } = setup();
    await analytics.handle([record(0, 1), record(1, 2), record(2, 12)]);
    // [0,10) closed at the record at 12 s: written, not yet confirmed.
    expect(producer.sent.map((r) => [r.topic, headerOf(r, EVENT_ID_HEADER)])).toEqual([
      ['aggs', `login:10s:${T0}:all=all:p0`],
      ['aggs', `login:10s:${T0}:app_version=none:p0`],
      ['aggs', `login:10s:${T0}:country=FR:p0`],
      ['aggs', `login:10s:${T0}:device_type=none:p0`],
      ['aggs', `login:10s:${T0}:outdated=none:p0`],
    ]);
    expect(JSON.parse(producer.sent[0]!.value!.toString())).toMatchObject({ count: 2, users: 1, late_events: 0 });
    // Offset 1 is released at once: the window's first record (0) keeps the commit below it.
    expect(acked.map((r) => r.offset)).toEqual([1]);
    producer.deliver();
    expect(acked.map((r) => r.offset)).toEqual([1, 0]);
    // The commit of offset 2 says [0,10) is written.
    expect(decodeCheckpoint(analytics.commitMetadata(TOPIC, 0, 2))).toEqual({ maxEventTimeMs: T0 + 2000, closedThrough: { '10000': T0 + 10_000 } });
  });

  it('restores a partition from its committed checkpoint before its first record, once', async () => {
    const metadata = JSON.stringify({ v: 1, m: T0 + 9000, c: { '10000': T0 + 10_000 } });
    const { analytics, producer, acked, asked } = setup([{ topic: TOPIC, partition: 0, offset: 5, metadata }]);
    // A replayed record of the written window [0,10) is skipped and acknowledged at once.
    await analytics.handle([record(5, 9)]);
    await analytics.handle([record(6, 11), record(7, 25)]);
    expect(asked).toEqual([[`${TOPIC}/0`]]);
    expect(acked.map((r) => r.offset)).toEqual([5]);
    expect(producer.sent.every((r) => headerOf(r, EVENT_ID_HEADER)!.includes(`:${T0 + 10_000}:`))).toBe(true);
  });

  it('forgets revoked partitions: late confirmations acknowledge nothing, the next owner rebuilds them', async () => {
    const { analytics, producer, acked, asked } = setup();
    await analytics.handle([record(0, 1), record(1, 12)]);
    analytics.forget([{ topic: TOPIC, partition: 0 }]);
    producer.deliver();
    expect(acked).toEqual([]);
    expect(analytics.commitMetadata(TOPIC, 0, 1)).toBeUndefined();
    await analytics.handle([record(0, 1)]);
    expect(asked).toHaveLength(2);
  });

  it('acknowledges unreadable records (the raw index has them) and stops on an output refused for good', async () => {
    const { analytics, producer, acked, fatal } = setup();
    await analytics.handle([{ ...record(0, 1), value: Buffer.from('not json') }, { ...record(1, 1), value: Buffer.from('{"user_id":"u"}') }]);
    expect(acked.map((r) => r.offset)).toEqual([0, 1]);
    producer.outcome = () => permanent();
    await analytics.handle([record(2, 1), record(3, 30)]);
    producer.deliver();
    expect(fatal).toHaveLength(1);
    expect(acked.map((r) => r.offset)).toEqual([0, 1]);
  });
});
