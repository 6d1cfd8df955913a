import { KafkaConsumer, type Message } from '@confluentinc/kafka-javascript';
import { KafkaAdmin, type TopicSpec } from '../../pipeline/kafka';
import { KAFKA_BROKERS } from './env';

/** Creates topics for one test file and deletes them after it (registered here, so no test forgets). */
export function useTopics(): { create(specs: TopicSpec[]): Promise<void>; admin: () => KafkaAdmin } {
  let admin: KafkaAdmin | undefined;
  const created: string[] = [];
  afterAll(async () => {
    if (!admin) return;
    await admin.deleteTopics(created).catch(() => undefined);
    admin.close();
  });
  const get = () => (admin ??= new KafkaAdmin({ brokers: KAFKA_BROKERS, clientId: 'streamdex-test' }));
  return {
    admin: get,
    async create(specs) {
      await get().createTopics(specs);
      created.push(...specs.map((s) => s.name));
    },
  };
}

/**
 * Reads a topic from the beginning to its current end (high watermarks taken first), with
 * a throwaway group: what a person would see with the console consumer.
 */
export async function readTopic(topic: string, partitions: number, timeoutMs = 30_000): Promise<Message[]> {
  const consumer = new KafkaConsumer(
    { 'bootstrap.servers': KAFKA_BROKERS.join(','), 'group.id': `reader-${Date.now()}-${Math.random()}`, 'enable.auto.commit': false },
    { 'auto.offset.reset': 'earliest' },
  );
  await new Promise<void>((resolve, reject) => consumer.connect({}, (err) => (err ? reject(err) : resolve())));
  try {
    const ends = await Promise.all(
      Array.from({ length: partitions }, (_, p) =>
        new Promise<number>((resolve, reject) =>
          consumer.queryWatermarkOffsets(topic, p, 10_000, (err, o) => (err ? reject(err) : resolve(Number(o.highOffset)))),
        ),
      ),
    );
    const total = ends.reduce((a, b) => a + b, 0);
    const out: Message[] = [];
    if (total === 0) return out;
    consumer.assign(ends.map((_, partition) => ({ topic, partition, offset: 0 })));
    consumer.setDefaultConsumeTimeout(200);
    const deadline = Date.now() + timeoutMs;
    while (out.length < total && Date.now() < deadline) {
      const batch = await new Promise<Message[]>((resolve, reject) => consumer.consume(1000, (err, m) => (err ? reject(err) : resolve(m))));
      for (const m of batch) if (m.offset < ends[m.partition]!) out.push(m);
    }
    return out;
  } finally {
    await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
  }
}

export function header(m: Message, key: string): string | undefined {
  for (const h of m.headers ?? []) if (h[key] !== undefined) return h[key]!.toString();
  return undefined;
}
