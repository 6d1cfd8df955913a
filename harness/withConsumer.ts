import { KafkaConsumer } from '@confluentinc/kafka-javascript';

/**
 * A plain librdkafka consumer for one question (end offsets, a group's committed offsets,
 * a topic read to its end), disconnected after: a broker restarted in between cannot leave
 * the caller holding a wedged connection.
 */
export async function withConsumer<T>(brokers: string, groupId: string, use: (c: KafkaConsumer) => Promise<T>): Promise<T> {
  const consumer = new KafkaConsumer(
    {
      'bootstrap.servers': brokers,
      'group.id': groupId,
      'enable.auto.commit': false,
      // Only what producers committed: under exactly_once, what an aborted transaction wrote
      // stays in the log and must not count.
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
