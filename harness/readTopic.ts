import type { Message, TopicPartitionOffset } from '@confluentinc/kafka-javascript';
import { endOffsets } from './endOffsets';
import { withConsumer } from './withConsumer';

/**
 * Reads a topic from its start to the end offsets taken first, calling `each` per record,
 * with a throwaway group (what a person sees with the console consumer). Returns how many
 * records it read.
 */
export async function readTopic(brokers: string, topic: string, partitions: number, each: (m: Message) => void, timeoutMs = 300_000): Promise<number> {
  return withConsumer(brokers, `reader-${process.pid}-${Date.now()}-${Math.random()}`, async (c) => {
    const ends = await endOffsets(c, topic, partitions);
    if (ends.every((e) => e === 0)) return 0;
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
