import type { KafkaConsumer } from '@confluentinc/kafka-javascript';

/** High watermark of each partition 0..partitions-1. */
export function endOffsets(c: KafkaConsumer, topic: string, partitions: number): Promise<number[]> {
  return Promise.all(
    Array.from({ length: partitions }, (_, p) =>
      new Promise<number>((resolve, reject) => c.queryWatermarkOffsets(topic, p, 10_000, (err, o) => (err ? reject(err) : resolve(Number(o.highOffset))))),
    ),
  );
}
