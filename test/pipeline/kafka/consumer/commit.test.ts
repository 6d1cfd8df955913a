import { KafkaError } from '../../../../pipeline/errors';
import { TOPIC, closeAll, started, until } from './fakeClient';

/** Commits on a fake client: only the acknowledged prefix of each partition. */
afterEach(closeAll);

describe('BatchConsumer commits', () => {
  it('commits per partition only below the lowest unfinished offset, and each offset once', async () => {
    const h = await started({}, [0, 1]);
    h.client.produce(0, 0, 10);
    h.client.produce(1, 0, 10);
    await until(() => h.received.length === 20, '20 records');
    const p0 = h.received.filter((r) => r.partition === 0);
    const p1 = h.received.filter((r) => r.partition === 1);
    // Out of order, with offset 2 of partition 0 left unfinished.
    for (const o of [9, 8, 7, 6, 5, 4, 3, 1, 0]) h.consumer.ack(p0[o]!);
    h.consumer.ack(p1[0]!);
    h.consumer.ack(p1[2]!);
    h.consumer.commitFinished();
    expect(h.client.ops('commit')).toEqual([
      {
        op: 'commit',
        offsets: [
          { topic: TOPIC, partition: 0, offset: 2 },
          { topic: TOPIC, partition: 1, offset: 1 },
        ],
      },
    ]);

    h.consumer.ack(p0[2]!);
    h.consumer.commitFinished();
    h.consumer.commitFinished();
    expect(h.client.ops('commit').slice(1)).toEqual([{ op: 'commit', offsets: [{ topic: TOPIC, partition: 0, offset: 10 }] }]);
  });

  it('commits with the metadata commitMetadata gives for each offset', async () => {
    const asked: string[] = [];
    const h = await started({ commitMetadata: (topic, partition, offset) => (asked.push(`${topic}/${partition}@${offset}`), partition === 0 ? `m${offset}` : undefined) }, [0, 1]);
    h.client.produce(0, 0, 3);
    h.client.produce(1, 0, 2);
    await until(() => h.received.length === 5, '5 records');
    for (const r of h.received) h.consumer.ack(r);
    h.consumer.commitFinished();
    expect(h.client.ops('commit')).toEqual([
      {
        op: 'commit',
        offsets: [
          { topic: TOPIC, partition: 0, offset: 3, metadata: 'm3' },
          { topic: TOPIC, partition: 1, offset: 2 },
        ],
      },
    ]);
    expect(asked).toEqual([`${TOPIC}/0@3`, `${TOPIC}/1@2`]);
  });

  it('commits a partition again at the same offset when only its metadata changed, and not when nothing did', async () => {
    let checkpoint = 'a';
    const h = await started({ commitMetadata: () => checkpoint }, [0]);
    h.client.produce(0, 5, 3);
    await until(() => h.received.length === 3, '3 records');
    // The first record is held (an open window): the offset cannot move past 5.
    h.consumer.ack(h.received[1]!);
    h.consumer.ack(h.received[2]!);
    h.consumer.commitFinished();
    h.consumer.commitFinished();
    checkpoint = 'b';
    h.consumer.commitFinished();
    h.consumer.ack(h.received[0]!);
    h.consumer.commitFinished();
    h.consumer.commitFinished();
    expect(h.client.ops('commit')).toEqual([
      { op: 'commit', offsets: [{ topic: TOPIC, partition: 0, offset: 5, metadata: 'a' }] },
      { op: 'commit', offsets: [{ topic: TOPIC, partition: 0, offset: 5, metadata: 'b' }] },
      { op: 'commit', offsets: [{ topic: TOPIC, partition: 0, offset: 8, metadata: 'b' }] },
    ]);
  });

  it('commits finished offsets every commitIntervalMs and tells the listeners', async () => {
    const h = await started({ commitIntervalMs: 20 });
    const committed: unknown[] = [];
    h.consumer.on('committed', (offsets) => committed.push(offsets));
    h.client.produce(0, 0, 5);
    await until(() => h.received.length === 5, '5 records');
    for (const r of h.received) h.consumer.ack(r);
    await until(() => committed.length > 0, 'a periodic commit');
    expect(committed).toEqual([[{ topic: TOPIC, partition: 0, offset: 5 }]]);
    expect(h.client.ops('commit')).toEqual([{ op: 'commit', offsets: [{ topic: TOPIC, partition: 0, offset: 5 }] }]);
  });

  it('reports a failed commit as a retryable KafkaError instead of throwing', async () => {
    const h = await started();
    h.client.produce(0, 0, 3);
    await until(() => h.received.length === 3, '3 records');
    for (const r of h.received) h.consumer.ack(r);
    h.client.failCommit = new Error('broker gone');
    expect(() => h.consumer.commitFinished()).not.toThrow();
    expect(h.errors).toHaveLength(1);
    expect(h.errors[0]).toBeInstanceOf(KafkaError);
    expect(h.errors[0]).toMatchObject({ message: 'offset commit failed: broker gone', retryable: true });
    expect(h.client.ops('commit')).toEqual([]);
    // No record comes after the last one: the failed offset itself is committed next time.
    h.consumer.commitFinished();
    expect(h.client.ops('commit')).toEqual([{ op: 'commit', offsets: [{ topic: TOPIC, partition: 0, offset: 3 }] }]);
  });

  it('commits again the offsets of an asynchronous commit the broker refused, unless a later one was sent since', async () => {
    const h = await started({}, [0, 1]);
    h.client.produce(0, 0, 3);
    h.client.produce(1, 0, 3);
    await until(() => h.received.length === 6, '6 records');
    const [p0, p1] = [0, 1].map((p) => h.received.filter((r) => r.partition === p));
    for (const r of [...p0!, ...p1!.slice(0, 2)]) h.consumer.ack(r);
    h.consumer.commitFinished();
    const refused = new KafkaError('offset commit failed: Broker: Coordinator load in progress', { retryable: true });
    // Partition 1 finishes and is committed at a later offset before the refusal arrives.
    h.consumer.ack(p1![2]!);
    h.consumer.commitFinished();
    h.client.listener.commitFailed([{ topic: TOPIC, partition: 0, offset: 3 }, { topic: TOPIC, partition: 1, offset: 2 }], refused);
    expect(h.errors).toEqual([refused]);
    h.consumer.commitFinished();
    expect(h.client.ops('commit').map((c) => (c as { offsets: unknown }).offsets)).toEqual([
      [{ topic: TOPIC, partition: 0, offset: 3 }, { topic: TOPIC, partition: 1, offset: 2 }],
      [{ topic: TOPIC, partition: 1, offset: 3 }],
      [{ topic: TOPIC, partition: 0, offset: 3 }],
    ]);
  });

  it('commits nothing of a partition it does not own', async () => {
    const h = await started({}, [0]);
    h.client.produce(0, 0, 2);
    await until(() => h.received.length === 2, '2 records');
    h.consumer.tracker.track(TOPIC, 7, 0);
    h.consumer.ack({ topic: TOPIC, partition: 7, offset: 0 });
    h.consumer.ack(h.received[0]!);
    h.consumer.commitFinished();
    expect(h.client.ops('commit')).toEqual([{ op: 'commit', offsets: [{ topic: TOPIC, partition: 0, offset: 1 }] }]);
  });
});
