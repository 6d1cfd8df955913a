import type { KafkaConsumer, TopicPartition } from '@confluentinc/kafka-javascript';

/** The consumer's group's committed offset per partition (0 where it never committed). */
export function committedOffsets(c: KafkaConsumer, topic: string, partitions: number): Promise<number[]> {
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
