import { setTimeout as sleep } from 'node:timers/promises';
import { ClosedError } from '../../../../pipeline/errors';
import { TOPIC, closeAll, started, until } from './fakeClient';

/** close() on a fake client: once, bounded, with a final commit. */
afterEach(closeAll);

describe('BatchConsumer close', () => {
  it('returns the same promise on every call and closes the client once', async () => {
    const h = await started();
    const first = h.consumer.close();
    expect(h.consumer.close()).toBe(first);
    await first;
    expect(h.consumer.close()).toBe(first);
    await h.consumer.close();
    expect(h.client.ops('disconnect')).toHaveLength(1);
    expect(() => h.consumer.start(() => undefined)).toThrow(ClosedError);
  });

  it('waits for in-flight records, then commits them and disconnects', async () => {
    const h = await started();
    h.client.produce(0, 0, 10);
    await until(() => h.received.length === 10, '10 records');
    let closed = false;
    const closing = h.consumer.close().then(() => (closed = true));
    await sleep(60);
    expect(closed).toBe(false);
    expect(h.client.ops('disconnect')).toEqual([]);
    h.client.produce(0, 10, 10);
    for (const r of h.received) h.consumer.ack(r);
    await closing;
    const afterStop = h.client.calls.filter((c) => c.op !== 'assign');
    expect(afterStop).toEqual([{ op: 'commitSync', offsets: [{ topic: TOPIC, partition: 0, offset: 10 }] }, { op: 'disconnect' }]);
    // Stopped before closing: nothing produced later was handed out.
    expect(h.received).toHaveLength(10);
  });

  it('gives up waiting after drainTimeoutMs and commits only what is finished', async () => {
    const h = await started({ drainTimeoutMs: 150 });
    h.client.produce(0, 0, 10);
    await until(() => h.received.length === 10, '10 records');
    for (const o of [0, 1, 2, 3, 5]) h.consumer.ack(h.received[o]!);
    const started_ = Date.now();
    await h.consumer.close();
    expect(Date.now() - started_).toBeGreaterThanOrEqual(140);
    expect(h.client.ops('commitSync')).toEqual([{ op: 'commitSync', offsets: [{ topic: TOPIC, partition: 0, offset: 4 }] }]);
    expect(h.client.ops('disconnect')).toHaveLength(1);
  });

  it('stops waiting at once when drained() says no in-flight record can finish, and commits only what is finished', async () => {
    let settled = false;
    const h = await started({ drainTimeoutMs: 10_000, drained: () => settled });
    h.client.produce(0, 0, 10);
    await until(() => h.received.length === 10, '10 records');
    for (const o of [0, 1, 2]) h.consumer.ack(h.received[o]!);
    let closed = false;
    const closing = h.consumer.close().then(() => (closed = true));
    await sleep(100);
    expect(closed).toBe(false);
    const t0 = Date.now();
    settled = true;
    await closing;
    expect(Date.now() - t0).toBeLessThan(500);
    expect(h.client.ops('commitSync')).toEqual([{ op: 'commitSync', offsets: [{ topic: TOPIC, partition: 0, offset: 3 }] }]);
    expect(h.client.ops('disconnect')).toHaveLength(1);
  });

  it('still disconnects when the final commit fails, and reports the failure', async () => {
    const h = await started();
    h.client.produce(0, 0, 3);
    await until(() => h.received.length === 3, '3 records');
    for (const r of h.received) h.consumer.ack(r);
    h.client.failCommit = new Error('broker gone');
    await h.consumer.close();
    expect(h.errors.map((e) => e.message)).toEqual(['final commit failed: broker gone']);
    expect(h.client.ops('commitSync')).toEqual([]);
    expect(h.client.ops('disconnect')).toHaveLength(1);
  });

  it('waits for a revocation under way before its final commit', async () => {
    const h = await started();
    h.client.produce(0, 0, 4);
    await until(() => h.received.length === 4, '4 records');
    h.client.rebalanceRevoke();
    const closing = h.consumer.close();
    await sleep(40);
    expect(h.client.ops('unassign')).toEqual([]);
    for (const r of h.received) h.consumer.ack(r);
    await closing;
    const ops = h.client.calls.filter((c) => c.op !== 'assign');
    expect(ops).toEqual([{ op: 'commitSync', offsets: [{ topic: TOPIC, partition: 0, offset: 4 }] }, { op: 'unassign' }, { op: 'disconnect' }]);
  });
});
