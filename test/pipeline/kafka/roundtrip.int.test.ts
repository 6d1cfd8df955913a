import { setTimeout as sleep } from 'node:timers/promises';
import { eventually } from '../../../harness';
import type { SourceRecord } from '../../../pipeline/core';
import { BatchConsumer, KafkaProducer, type Delivery } from '../../../pipeline/kafka';
import type { ConsumerOptions } from '../../../pipeline/kafka';
import { KAFKA_BROKERS, uniqueName } from '../../helpers/env';
import { useTopics } from '../../helpers/kafka';

/**
 * KafkaProducer and BatchConsumer against the real broker: what goes in comes out once,
 * intact; commits cover exactly the acknowledged prefix of each partition; fetching
 * pauses while too many records are unfinished.
 */
const PARTITIONS = 3;
const COUNT = 500;
const topics = useTopics();
const consumers: BatchConsumer[] = [];
afterAll(async () => {
  await Promise.all(consumers.map((c) => c.close().catch(() => undefined)));
});

function consumer(topic: string, groupId: string, over: Partial<ConsumerOptions> = {}): BatchConsumer {
  const c = new BatchConsumer({
    brokers: KAFKA_BROKERS,
    clientId: 'streamdex-test',
    groupId,
    topics: [topic],
    batchSize: 100,
    commitIntervalMs: 200,
    drainTimeoutMs: 1000,
    ...over,
  });
  c.on('error', () => undefined); // surfaced through the assertions instead
  consumers.push(c);
  return c;
}

interface Sent {
  readonly i: number;
  readonly key: string;
  readonly delivery: Delivery;
}

async function produce(topic: string, count: number): Promise<Sent[]> {
  const producer = new KafkaProducer({ brokers: KAFKA_BROKERS, clientId: 'streamdex-test' });
  await producer.connect();
  try {
    return await Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const key = `user-${i % 37}`;
        const delivery = await producer.send({
          topic,
          key,
          value: Buffer.from(JSON.stringify({ i, text: `record ${i} ✓` })),
          headers: [
            { key: 'x-index', value: Buffer.from(String(i)) },
            { key: 'x-binary', value: Buffer.from([0, 255, i % 256]) },
          ],
        });
        return { i, key, delivery };
      }),
    );
  } finally {
    await producer.close();
  }
}

const indexOf = (r: SourceRecord) => (JSON.parse(r.value!.toString('utf8')) as { i: number }).i;
const pk = (topic: string, partition: number) => `${topic}/${partition}`;

describe('KafkaProducer to BatchConsumer on the real broker', () => {
  const topic = uniqueName('it-roundtrip');
  const group = uniqueName('it-roundtrip-group');
  let sent: Sent[];
  const firstRun: SourceRecord[] = [];
  /** Per partition: records with an offset below this are acked in the first run. */
  const ackBelow = new Map<number, number>();

  beforeAll(async () => {
    await topics.create([{ name: topic, partitions: PARTITIONS }]);
    sent = await produce(topic, COUNT);
  });

  it('acknowledges every record with its partition and offset, keyed records spread over partitions', () => {
    expect(sent).toHaveLength(COUNT);
    const byPartition = new Map<number, number[]>();
    for (const s of sent) {
      expect(s.delivery.topic).toBe(topic);
      byPartition.set(s.delivery.partition, [...(byPartition.get(s.delivery.partition) ?? []), s.delivery.offset]);
    }
    expect(byPartition.size).toBe(PARTITIONS);
    // A fresh topic: each partition's offsets are exactly 0..n-1.
    for (const offsets of byPartition.values()) expect([...offsets].sort((a, b) => a - b)).toEqual(offsets.map((_, j) => j));
    // One key always lands in one partition.
    const partitionOfKey = new Map<string, number>();
    for (const s of sent) {
      expect(partitionOfKey.get(s.key) ?? s.delivery.partition).toBe(s.delivery.partition);
      partitionOfKey.set(s.key, s.delivery.partition);
    }
  });

  it('hands every record to the handler exactly once with key, value and headers intact', async () => {
    const c = consumer(topic, group);
    await c.connect();
    void c.start((records) => {
      firstRun.push(...records);
    });
    await eventually(async () => firstRun.length, (n) => n >= COUNT, 60_000, `${COUNT} records consumed`);
    // Give duplicates, if any, a chance to show up.
    await sleep(1000);
    expect(firstRun).toHaveLength(COUNT);

    const bySentIndex = new Map(sent.map((s) => [s.i, s]));
    const seen = new Set<number>();
    for (const r of firstRun) {
      const i = indexOf(r);
      const s = bySentIndex.get(i)!;
      expect(seen.has(i)).toBe(false);
      seen.add(i);
      expect({ i, topic: r.topic, partition: r.partition, offset: r.offset }).toEqual({ i, topic, partition: s.delivery.partition, offset: s.delivery.offset });
      expect(r.key?.toString()).toBe(s.key);
      expect(JSON.parse(r.value!.toString('utf8'))).toEqual({ i, text: `record ${i} ✓` });
      expect(r.headers).toEqual([
        { key: 'x-index', value: Buffer.from(String(i)) },
        { key: 'x-binary', value: Buffer.from([0, 255, i % 256]) },
      ]);
      expect(typeof r.timestamp).toBe('number');
    }
    expect(seen.size).toBe(COUNT);
    expect(c.tracker.inFlight).toBe(COUNT);
  });

  it('commits on close only below the first unacknowledged offset of each partition', async () => {
    const c = consumers[consumers.length - 1]!;
    const counts = new Map<number, number>();
    for (const r of firstRun) counts.set(r.partition, (counts.get(r.partition) ?? 0) + 1);
    for (const [p, n] of counts) ackBelow.set(p, Math.floor(n * 0.4));
    const committed: Array<{ partition: number; offset: number }> = [];
    c.on('committed', (offsets) => committed.push(...offsets));

    // Ack out of order, and ack one record above the cut: it must not move the commit.
    const below = firstRun.filter((r) => r.offset < ackBelow.get(r.partition)!).reverse();
    for (const r of below) c.ack(r);
    const aboveCut = firstRun.find((r) => r.offset === ackBelow.get(r.partition)! + 1)!;
    c.ack(aboveCut);

    await c.close();
    const last = new Map<number, number>();
    for (const o of committed) last.set(o.partition, Math.max(last.get(o.partition) ?? 0, o.offset));
    expect(Object.fromEntries(last)).toEqual(Object.fromEntries(ackBelow));
  });

  it('resumes a new member of the group exactly at the first unacknowledged offset of each partition', async () => {
    const c = consumer(topic, group);
    const resumed: SourceRecord[] = [];
    await c.connect();
    void c.start((records) => {
      resumed.push(...records);
      for (const r of records) c.ack(r);
    });
    const expected = firstRun.filter((r) => r.offset >= ackBelow.get(r.partition)!).length;
    await eventually(async () => resumed.length, (n) => n >= expected, 60_000, `${expected} unacknowledged records re-read`);
    await sleep(1000);

    const got = new Map<number, number[]>();
    for (const r of resumed) got.set(r.partition, [...(got.get(r.partition) ?? []), r.offset]);
    for (const [p, from] of ackBelow) {
      const end = firstRun.filter((r) => r.partition === p).length;
      // In order, nothing before the cut re-read, nothing after it skipped, nothing twice.
      expect({ partition: p, offsets: got.get(p) }).toEqual({ partition: p, offsets: Array.from({ length: end - from }, (_, j) => from + j) });
    }
    expect(resumed).toHaveLength(expected);
    await c.close();
  });
});

describe('BatchConsumer backpressure on the real broker', () => {
  const topic = uniqueName('it-backpressure');
  const MAX_IN_FLIGHT = 50;
  const BATCH = 10;

  beforeAll(async () => {
    await topics.create([{ name: topic, partitions: PARTITIONS }]);
    await produce(topic, COUNT);
  });

  it('pauses at maxInFlight unfinished records, hands out no more, and resumes once they are acked', async () => {
    const c = consumer(topic, uniqueName('it-backpressure-group'), { maxInFlight: MAX_IN_FLIGHT, batchSize: BATCH });
    const received: SourceRecord[] = [];
    const events: string[] = [];
    let acking = false;
    c.on('paused', (n) => events.push(`paused:${n}`));
    c.on('resumed', (n) => events.push(`resumed:${n}`));
    await c.connect();
    void c.start((records) => {
      received.push(...records);
      if (acking) for (const r of records) c.ack(r);
    });

    await eventually(async () => c.isPaused, (p) => p, 60_000, 'the consumer to pause');
    expect(events[0]).toMatch(/^paused:/);
    expect(Number(events[0]!.split(':')[1])).toBeGreaterThanOrEqual(MAX_IN_FLIGHT);

    // While paused, polling goes on (group membership) but no records come.
    const atPause = received.length;
    await sleep(3000);
    expect(c.isPaused).toBe(true);
    expect(received.length).toBe(atPause);
    expect(received.length).toBeGreaterThanOrEqual(MAX_IN_FLIGHT);
    expect(received.length).toBeLessThanOrEqual(MAX_IN_FLIGHT + BATCH);
    expect(c.tracker.inFlight).toBe(received.length);

    // Acking lets it resume, and from then on (acking as we go) everything arrives once.
    acking = true;
    for (const r of [...received]) c.ack(r);
    await eventually(async () => received.length, (n) => n >= COUNT, 60_000, 'all records after resuming');
    await sleep(1000);
    expect(events).toContainEqual(expect.stringMatching(/^resumed:/));
    expect(c.isPaused).toBe(false);
    const ids = received.map((r) => `${r.partition}:${r.offset}`);
    expect(new Set(ids).size).toBe(ids.length);
    expect(received).toHaveLength(COUNT);
    await c.close();
  });
});

describe('BatchConsumer backpressure that lasts (OpenSearch down)', () => {
  const topic = uniqueName('it-long-backpressure');
  const MAX_IN_FLIGHT = 50;

  beforeAll(async () => {
    await topics.create([{ name: topic, partitions: PARTITIONS }]);
    await produce(topic, COUNT);
  });

  it('pauses the partitions after pauseFetchAfterMs and keeps serving rebalances, so a new member gets its share', async () => {
    const group = uniqueName('it-long-backpressure-group');
    // Never acks: its records stay in flight, as when OpenSearch is down.
    const stuck = consumer(topic, group, { maxInFlight: MAX_IN_FLIGHT, batchSize: 10, pauseFetchAfterMs: 500 });
    const stuckReceived: SourceRecord[] = [];
    const revoked: number[] = [];
    stuck.on('revoked', (parts) => revoked.push(parts.length));
    await stuck.connect();
    void stuck.start((records) => void stuckReceived.push(...records));
    await eventually(async () => stuck.isPaused, (p) => p, 60_000, 'the first member to reach maxInFlight');
    await sleep(2000);

    // A member that stopped polling would not see the rebalance until max.poll.interval.ms
    // (300 s); the second member would get nothing before then.
    const fresh = consumer(topic, group, { batchSize: 100 });
    const freshReceived: SourceRecord[] = [];
    await fresh.connect();
    void fresh.start((records) => {
      freshReceived.push(...records);
      for (const r of records) fresh.ack(r);
    });
    await eventually(async () => fresh.assigned.length, (n) => n > 0, 30_000, 'the second member to be assigned partitions');
    await eventually(async () => freshReceived.length, (n) => n > 0, 30_000, 'the second member to receive records');
    expect(revoked.length).toBeGreaterThan(0);
    expect(stuckReceived.length).toBeLessThanOrEqual(MAX_IN_FLIGHT + 2 * 10);
  });
});
