import type { KafkaConsumer, Message, TopicPartitionOffset } from '@confluentinc/kafka-javascript';

/**
 * Whether a read_committed consumer finds no record in offsets `from`..`to - 1` of a
 * partition: transaction markers and aborted records take offsets too, so a group whose
 * committed offset is short of the end can still have read everything. Decided by position,
 * as readTopic does; false when it cannot tell within `timeoutMs`.
 */
export async function nothingReadable(c: KafkaConsumer, topic: string, partition: number, from: number, to: number, timeoutMs = 3000): Promise<boolean> {
  if (from >= to) return true;
  c.assign([{ topic, partition, offset: from }]);
  c.setDefaultConsumeTimeout(200);
  const deadline = Date.now() + timeoutMs;
  try {
    while (Date.now() < deadline) {
      const batch = await new Promise<Message[]>((resolve, reject) => c.consume(10, (err, m) => (err ? reject(err) : resolve(m))));
      if (batch.some((m) => m.offset < to)) return false;
      if (batch.length > 0) return true;
      const [pos] = c.position([{ topic, partition }]) as TopicPartitionOffset[];
      if (pos?.offset !== undefined && pos.offset >= to) return true;
    }
    return false;
  } finally {
    c.unassign();
  }
}
