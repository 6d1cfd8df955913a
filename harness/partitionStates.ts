import type { Metadata } from '@confluentinc/kafka-javascript';
import { withConsumer } from './withConsumer';

/** One partition as the cluster's metadata describes it right now. */
export interface PartitionState {
  readonly topic: string;
  readonly partition: number;
  /** Node id of the leader; -1 while none is elected. */
  readonly leader: number;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
}

/** Every partition of these topics (all topics when none are named), from a fresh metadata request. */
export async function partitionStates(brokers: string, topics?: readonly string[]): Promise<PartitionState[]> {
  const fetch = (c: Parameters<Parameters<typeof withConsumer>[2]>[0], topic?: string) =>
    new Promise<Metadata>((resolve, reject) => c.getMetadata({ ...(topic ? { topic } : { allTopics: true }), timeout: 10_000 }, (err, m) => (err ? reject(err) : resolve(m))));
  return withConsumer(brokers, 'streamdex-metadata', async (c) => {
    const all = topics ? await Promise.all(topics.map((t) => fetch(c, t))) : [await fetch(c)];
    const wanted = topics ? new Set(topics) : undefined;
    const out: PartitionState[] = [];
    for (const m of all) {
      for (const t of m.topics) {
        if (wanted && !wanted.has(t.name)) continue;
        for (const p of t.partitions) out.push({ topic: t.name, partition: p.id, leader: p.leader, replicas: p.replicas, isr: p.isrs });
      }
    }
    return out;
  });
}
