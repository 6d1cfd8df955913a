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
