import { setTimeout as sleep } from 'node:timers/promises';
import { TOPIC, closeAll, started, until } from './fakeClient';

/** BatchConsumer's backpressure on a fake client: maxInFlight 50, batches of 10. */
afterEach(closeAll);

const P0 = [{ topic: TOPIC, partition: 0 }];

describe('BatchConsumer backpressure', () => {
  it('stops taking records at maxInFlight, one polled-ahead batch over it, and keeps the partitions fetching', async () => {
    const h = await started({ maxInFlight: 50, pauseFetchAfterMs: 60_000 });
    h.client.produce(0, 0, 200);
    await until(() => h.consumer.isPaused, 'the consumer to pause');
    await sleep(50);
    // Paused when the 6th batch came in with 50 unfinished; that batch is still handled.
    expect(h.events).toEqual(['paused:50']);
    expect(h.received).toHaveLength(60);
    expect(h.consumer.tracker.inFlight).toBe(60);
    expect(h.client.ops('pause')).toEqual([]);
  });

  it('resumes on the ack that brings in-flight down to half, without waiting for the poll loop', async () => {
    const h = await started({ maxInFlight: 50, pauseFetchAfterMs: 60_000 });
    h.client.produce(0, 0, 200);
    await until(() => h.consumer.isPaused, 'the consumer to pause');
    const held = [...h.received];
    for (const r of held.slice(0, 34)) h.consumer.ack(r);
    await sleep(30);
    expect(h.consumer.tracker.inFlight).toBe(26);
    expect(h.consumer.isPaused).toBe(true);
    expect(h.received).toHaveLength(60);

    // pauseFetchAfterMs is a minute away: only the ack can end this wait.
    h.consumer.ack(held[34]!);
    await until(() => h.events.length === 3, 'the next pause', 500);
    expect(h.events).toEqual(['paused:50', 'resumed:25', 'paused:55']);
    expect(h.received).toHaveLength(100);
    expect(h.consumer.tracker.inFlight).toBe(65);
  });

  it('pauses the partitions only after pauseFetchAfterMs without acks, then polls on, and resumes them on ack', async () => {
    const h = await started({ maxInFlight: 50, pauseFetchAfterMs: 200 });
    h.client.produce(0, 0, 200);
    await until(() => h.consumer.isPaused, 'the consumer to pause');
    const pausedAt = Date.now();
    await sleep(120);
    expect(h.client.ops('pause')).toEqual([]);
    await until(() => h.client.ops('pause').length > 0, 'the partitions to be paused');
    expect(Date.now() - pausedAt).toBeGreaterThanOrEqual(190);
    expect(h.client.ops('pause')).toEqual([{ op: 'pause', partitions: P0 }]);

    // Polling goes on (group membership), and nothing more is handed out.
    const polls = h.client.consumeCalls;
    await until(() => h.client.consumeCalls >= polls + 3, 'polls while the partitions are paused');
    expect(h.received).toHaveLength(60);

    // The loop is polling, not waiting: the ack itself resumes the partitions.
    for (const r of [...h.received]) h.consumer.ack(r);
    expect(h.client.ops('resume')).toEqual([{ op: 'resume', partitions: P0 }]);
    expect(h.events).toEqual(['paused:50', 'resumed:25']);
    await until(() => h.received.length === 120, 'records after resuming');
    expect(h.events).toEqual(['paused:50', 'resumed:25', 'paused:50']);
    expect(h.client.ops('pause')).toHaveLength(1);
  });

  it('pauses partitions assigned while the fetch is paused', async () => {
    const h = await started({ maxInFlight: 50, pauseFetchAfterMs: 20 });
    h.client.produce(0, 0, 200);
    await until(() => h.client.ops('pause').length > 0, 'the partitions to be paused');
    h.client.rebalanceAssign(0, 1);
    const both = [...P0, { topic: TOPIC, partition: 1 }];
    expect(h.client.ops('pause')).toEqual([
      { op: 'pause', partitions: P0 },
      { op: 'pause', partitions: both },
    ]);
  });
});
