import { eventually } from '../../../harness';
import type { SourceRecord } from '../../../pipeline/core';
import { KafkaProducer, TopicTail } from '../../../pipeline/kafka';
import { KAFKA_BROKERS, uniqueName } from '../../helpers/env';
import { useTopics } from '../../helpers/kafka';

/**
 * TopicTail against the broker: start() resolves only once every record already in the
 * topic was handed over (the restore a table needs before it is used), then records
 * produced later keep coming; a second tail reads it all again from the start.
 */
const PARTITIONS = 3;
const topics = useTopics();
const tails: TopicTail[] = [];
afterAll(async () => {
  await Promise.all(tails.map((t) => t.close()));
});

function tail(topic: string, seen: SourceRecord[]): TopicTail {
  const t = new TopicTail({ brokers: KAFKA_BROKERS, clientId: 'streamdex-test', topic, onRecord: (r) => seen.push(r), startTimeoutMs: 30_000 });
  tails.push(t);
  return t;
}

async function send(topic: string, from: number, n: number): Promise<void> {
  const p = new KafkaProducer({ brokers: KAFKA_BROKERS });
  await p.connect();
  await Promise.all(Array.from({ length: n }, (_, i) => p.send({ topic, key: `k-${from + i}`, value: Buffer.from(String(from + i)) })));
  await p.close();
}

it('hands over the whole topic before start() resolves, then follows it', async () => {
  const topic = uniqueName('tail');
  await topics.create([{ name: topic, partitions: PARTITIONS, config: { 'cleanup.policy': 'compact' } }]);
  await send(topic, 0, 3000);

  const seen: SourceRecord[] = [];
  const read = await tail(topic, seen).start();
  expect(read).toEqual({ records: 3000, partitions: PARTITIONS });
  expect(new Set(seen.map((r) => r.key!.toString())).size).toBe(3000);

  await send(topic, 3000, 200);
  await eventually(async () => seen.length, (n) => n >= 3200, 20_000, 'later records followed');
  expect(seen.map((r) => Number(r.value!.toString())).sort((a, b) => a - b)).toEqual(Array.from({ length: 3200 }, (_, i) => i));

  const again: SourceRecord[] = [];
  expect(await tail(topic, again).start()).toEqual({ records: 3200, partitions: PARTITIONS });
});

it('resolves at once for an empty topic, and waits for a topic created after it started', async () => {
  const topic = uniqueName('tail-late');
  const seen: SourceRecord[] = [];
  const started = tail(topic, seen).start();
  await new Promise((r) => setTimeout(r, 1500));
  await topics.create([{ name: topic, partitions: PARTITIONS }]);
  expect(await started).toEqual({ records: 0, partitions: PARTITIONS });
});
