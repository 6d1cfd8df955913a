import { KafkaConsumer, type Message, type TopicPartition, type TopicPartitionOffset } from '@confluentinc/kafka-javascript';

/**
 * What the suite asks Kafka: end offsets, a group's committed offsets, and whole topics
 * read to their end. A fresh client per question, so a broker restart in the middle of a
 * scenario cannot leave the suite holding a wedged connection.
 */
export async function withConsumer<T>(brokers: string, groupId: string, use: (c: KafkaConsumer) => Promise<T>): Promise<T> {
  const consumer = new KafkaConsumer(
    {
      'bootstrap.servers': brokers,
      'group.id': groupId,
      'enable.auto.commit': false,
      // Only what producers committed, as the issue asks (the services do not use transactions).
      'isolation.level': 'read_committed',
      'fetch.message.max.bytes': 4 * 1024 * 1024,
    },
    { 'auto.offset.reset': 'earliest' },
  );
  await new Promise<void>((resolve, reject) => consumer.connect({ timeout: 10_000 }, (err) => (err ? reject(err) : resolve())));
  try {
    return await use(consumer);
  } finally {
    await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
  }
}

export function endOffsets(c: KafkaConsumer, topic: string, partitions: number): Promise<number[]> {
  return Promise.all(
    Array.from({ length: partitions }, (_, p) =>
      new Promise<number>((resolve, reject) => c.queryWatermarkOffsets(topic, p, 10_000, (err, o) => (err ? reject(err) : resolve(Number(o.highOffset))))),
    ),
  );
}

/** The group's committed offset per partition (0 where it never committed). */
export function committed(c: KafkaConsumer, topic: string, partitions: number): Promise<number[]> {
  const wanted: TopicPartition[] = Array.from({ length: partitions }, (_, partition) => ({ topic, partition }));
  return new Promise((resolve, reject) =>
    c.committed(wanted, 10_000, (err, tps) => {
      if (err) return reject(err);
      const out = new Array<number>(partitions).fill(0);
      for (const tp of tps) if (tp.offset !== undefined && tp.offset >= 0) out[tp.partition] = tp.offset;
      resolve(out);
    }),
  );
}

/** Reads a topic from its start to the end offsets taken first, calling `each` per record. */
export async function readToEnd(brokers: string, topic: string, partitions: number, each: (m: Message) => void, timeoutMs = 300_000): Promise<number> {
  return withConsumer(brokers, `fault-reader-${Date.now()}-${Math.random()}`, async (c) => {
    const ends = await endOffsets(c, topic, partitions);
    const total = ends.reduce((a, b) => a + b, 0);
    if (total === 0) return 0;
    const next = ends.map(() => 0);
    c.assign(ends.map((_, partition) => ({ topic, partition, offset: 0 })));
    c.setDefaultConsumeTimeout(200);
    const deadline = Date.now() + timeoutMs;
    let read = 0;
    // Transaction markers and aborted records take offsets too, so "done" is by position.
    while (next.some((n, p) => n < ends[p]!) && Date.now() < deadline) {
      const batch = await new Promise<Message[]>((resolve, reject) => c.consume(5000, (err, m) => (err ? reject(err) : resolve(m))));
      for (const m of batch) {
        next[m.partition] = m.offset + 1;
        if (m.offset < ends[m.partition]!) {
          read++;
          each(m);
        }
      }
      if (batch.length === 0) {
        const positions = c.position(ends.map((_, partition) => ({ topic, partition }))) as TopicPartitionOffset[];
        for (const tp of positions) if (tp.offset !== undefined && tp.offset >= 0) next[tp.partition] = Math.max(next[tp.partition]!, tp.offset);
      }
    }
    if (next.some((n, p) => n < ends[p]!)) throw new Error(`reading ${topic}: timed out at ${next.join(',')} of ${ends.join(',')}`);
    return read;
  });
}

export function headerOf(m: Message, key: string): string | undefined {
  for (const h of m.headers ?? []) if (h[key] !== undefined) return h[key]!.toString();
  return undefined;
}

/**
 * "Caught up": every record that was in the input topic when the probe started has been
 * committed by the processor group, and every record that was then in the processed topic
 * has been committed by the indexer group. Committed means indexed or dead-lettered, so
 * this is the moment the fault's backlog is fully through the pipeline.
 */
export async function waitCaughtUp(
  brokers: string,
  groups: { processor: string; indexer: string },
  topics: { input: string; output: string },
  partitions: number,
  deadlineMs: number,
  cancelled: () => boolean = () => false,
): Promise<boolean> {
  const reached = async (group: string, topic: string, target: number[]) => {
    while (Date.now() < deadlineMs && !cancelled()) {
      try {
        const done = await withConsumer(brokers, group, async (c) => {
          const at = await committed(c, topic, partitions);
          return at.every((o, p) => o >= target[p]!);
        });
        if (done) return true;
      } catch {
        // The broker may be down or restarting: ask again.
      }
      await sleep(500);
    }
    return false;
  };
  const ends = async (topic: string) => {
    for (;;) {
      try {
        return await withConsumer(brokers, `fault-probe-${process.pid}`, (c) => endOffsets(c, topic, partitions));
      } catch (err) {
        if (Date.now() > deadlineMs || cancelled()) throw err;
        await sleep(500);
      }
    }
  };
  try {
    if (!(await reached(groups.processor, topics.input, await ends(topics.input)))) return false;
    return await reached(groups.indexer, topics.output, await ends(topics.output));
  } catch {
    return false;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Where each group stands against its topic's end, e.g. "processor p2 at 5338 of 5522". */
export async function describeLag(brokers: string, groups: { processor: string; indexer: string }, topics: { input: string; output: string }, partitions: number): Promise<string> {
  const parts: string[] = [];
  for (const [name, group, topic] of [['processor', groups.processor, topics.input], ['indexer', groups.indexer, topics.output]] as const) {
    const ends = await withConsumer(brokers, `fault-probe-${process.pid}`, (c) => endOffsets(c, topic, partitions));
    const at = await withConsumer(brokers, group, (c) => committed(c, topic, partitions));
    ends.forEach((end, p) => {
      if (at[p]! < end) parts.push(`${name} group p${p} committed ${at[p]} of ${end}`);
    });
  }
  return parts.join(', ') || 'no lag';
}
