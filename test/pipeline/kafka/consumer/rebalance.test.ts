import { setTimeout as sleep } from 'node:timers/promises';
import { TOPIC, closeAll, offsetsOf, started, until } from './fakeClient';

/** Revocation hand-over on a fake client: drain, commit what is finished, then unassign. */
afterEach(closeAll);

const commitOf = (...offsets: Array<[partition: number, offset: number]>) => ({
  op: 'commitSync',
  offsets: offsets.map(([partition, offset]) => ({ topic: TOPIC, partition, offset })),
});

describe('BatchConsumer rebalance', () => {
  it('on revocation stops taking records, waits for the in-flight ones, commits them, then unassigns', async () => {
    const h = await started({}, [0, 1]);
    h.client.produce(0, 0, 10);
    h.client.produce(1, 0, 10);
    await until(() => h.received.length === 20, '20 records');
    const before = h.client.calls.length;
    h.client.rebalanceRevoke();
    h.client.produce(0, 10, 10);
    for (const r of h.received.slice(0, 15)) h.consumer.ack(r);
    await sleep(60);
    expect(h.client.calls.slice(before)).toEqual([]);
    expect(h.events).toEqual([]);

    for (const r of h.received.slice(15)) h.consumer.ack(r);
    await until(() => h.events.length > 0, 'the revocation to end');
    expect(h.client.calls.slice(before)).toEqual([commitOf([0, 10], [1, 10]), { op: 'unassign' }]);
    expect(h.events).toEqual(['revoked:0,1']);
    expect(h.consumer.assigned).toEqual([]);
    await sleep(30);
    expect(h.received).toHaveLength(20);
  });

  it('on revocation ends the drain when drained() says no in-flight record can finish, committing the finished prefix', async () => {
    const h = await started({ drainTimeoutMs: 10_000, drained: () => true }, [0, 1]);
    h.client.produce(0, 0, 10);
    h.client.produce(1, 0, 10);
    await until(() => h.received.length === 20, '20 records');
    for (const r of h.received.filter((x) => x.partition === 0).slice(0, 4)) h.consumer.ack(r);
    const before = h.client.calls.length;
    const t0 = Date.now();
    h.client.rebalanceRevoke();
    await until(() => h.events.length > 0, 'the revocation to end');
    expect(Date.now() - t0).toBeLessThan(500);
    expect(h.client.calls.slice(before)).toEqual([commitOf([0, 4]), { op: 'unassign' }]);
  });

  it('after drainTimeoutMs commits exactly the finished prefix, forgets the rest and unassigns', async () => {
    const h = await started({ drainTimeoutMs: 150 }, [0, 1]);
    h.client.produce(0, 0, 10);
    h.client.produce(1, 0, 10);
    await until(() => h.received.length === 20, '20 records');
    const p1 = h.received.filter((r) => r.partition === 1);
    for (const r of h.received.filter((r) => r.partition === 0)) h.consumer.ack(r);
    for (const o of [0, 1, 2, 3, 6]) h.consumer.ack(p1[o]!);
    const revokedAt = Date.now();
    h.client.rebalanceRevoke();
    await until(() => h.events.length > 0, 'the revocation to end');
    expect(Date.now() - revokedAt).toBeGreaterThanOrEqual(140);
    expect(h.client.ops('commitSync')).toEqual([commitOf([0, 10], [1, 4])]);
    expect(h.client.calls.at(-1)).toEqual({ op: 'unassign' });
    expect(h.consumer.tracker.inFlight).toBe(0);
    // A late ack of a forgotten partition changes nothing.
    h.consumer.ack(p1[4]!);
    expect(h.consumer.tracker.inFlight).toBe(0);
  });

  it('takes no offsets for a periodic commit while a revocation drains, so its own commit has them all', async () => {
    const h = await started({ commitIntervalMs: 5 });
    h.client.produce(0, 0, 10);
    await until(() => h.received.length === 10, '10 records');
    for (const r of h.received.slice(0, 5)) h.consumer.ack(r);
    await until(() => h.client.ops('commit').length > 0, 'a periodic commit');
    h.client.rebalanceRevoke();
    for (const r of h.received.slice(5)) h.consumer.ack(r);
    h.consumer.commitFinished();
    await until(() => h.events.length > 0, 'the revocation to end');
    expect(h.client.ops('commit')).toEqual([{ op: 'commit', offsets: [{ topic: TOPIC, partition: 0, offset: 5 }] }]);
    expect(h.client.ops('commitSync')).toEqual([commitOf([0, 10])]);
  });

  it('skips the second copy of records a poll across the rebalance returned twice', async () => {
    const h = await started();
    h.client.produce(0, 0, 5);
    await until(() => h.received.length === 5, '5 records');
    for (const r of h.received) h.consumer.ack(r);
    h.client.rebalanceRevoke();
    await until(() => h.events.length > 0, 'the revocation to end');
    expect(h.client.ops('commitSync')).toEqual([commitOf([0, 5])]);

    h.client.rebalanceAssign(0);
    // The stale poll's records, then librdkafka's refetch from the committed offset.
    h.client.produce(0, 5, 2);
    h.client.produce(0, 5, 3);
    await until(() => h.received.length >= 8, '3 more records');
    await sleep(30);
    expect(offsetsOf(h.received)).toEqual(['0:0', '0:1', '0:2', '0:3', '0:4', '0:5', '0:6', '0:7']);
    expect(h.errors.map((e) => e.message)).toEqual(['skipped 2 second copies of records already in flight or finished (a poll spanned a rebalance)']);
    expect(h.consumer.tracker.inFlight).toBe(3);
    for (const r of h.received.slice(5)) h.consumer.ack(r);
    expect(h.consumer.tracker.inFlight).toBe(0);
  });

  it('drops records of partitions it does not own that a poll returned anyway', async () => {
    const h = await started({}, [0]);
    h.client.produceStale(3, 0, 4);
    h.client.produce(0, 0, 2);
    await until(() => h.received.length >= 2, '2 records of partition 0');
    await sleep(30);
    expect(offsetsOf(h.received)).toEqual(['0:0', '0:1']);
    expect(h.consumer.tracker.inFlight).toBe(2);
    expect(h.consumer.tracker.inFlightFor(TOPIC, 3)).toBe(0);
  });
});
