import type { PartitionOffsets } from '../../../../pipeline/kafka';
import { TOPIC, closeAll, started, until } from './fakeClient';

afterEach(closeAll);

describe('BatchConsumer lag', () => {
  it('is, per assigned partition, the high watermark minus the committed offset (the log start when none), never below 0', async () => {
    const h = await started({}, [0, 1, 2]);
    await until(() => h.consumer.assigned.length === 3, 'assignment');
    const asked: unknown[] = [];
    const offsets = async (partitions: readonly { topic: string; partition: number }[]): Promise<PartitionOffsets[]> => {
      asked.push(partitions.map((p) => p.partition));
      return [
        { topic: TOPIC, partition: 0, committed: 40, highWatermark: 100, lowWatermark: 0 },
        { topic: TOPIC, partition: 1, committed: -1, highWatermark: 70, lowWatermark: 20 },
        { topic: TOPIC, partition: 2, committed: 90, highWatermark: 90, lowWatermark: 0 },
      ];
    };
    Object.assign(h.client, { offsets });
    expect((await h.consumer.lag()).map((p) => [p.partition, p.lag])).toEqual([
      [0, 60],
      [1, 50],
      [2, 0],
    ]);
    expect(asked).toEqual([[0, 1, 2]]);
  });

  it('is empty without partitions, and without a client that can tell', async () => {
    const none = await started({}, []);
    Object.assign(none.client, { offsets: async () => [{ topic: TOPIC, partition: 0, committed: 0, highWatermark: 5, lowWatermark: 0 }] });
    expect(await none.consumer.lag()).toEqual([]);
    const h = await started({}, [0]);
    await until(() => h.consumer.assigned.length === 1, 'assignment');
    expect(await h.consumer.lag()).toEqual([]);
  });

  it('counts records taken and not yet acknowledged as in flight', async () => {
    const h = await started({}, [0]);
    h.client.produce(0, 0, 4);
    await until(() => h.received.length === 4, '4 records');
    expect(h.consumer.inFlight).toBe(4);
    h.consumer.ack(h.received[0]!);
    expect(h.consumer.inFlight).toBe(3);
    expect(h.consumer.groupId).toBe('g');
  });
});
