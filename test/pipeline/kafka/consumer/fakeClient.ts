import { setTimeout as sleep } from 'node:timers/promises';
import type { SourceRecord } from '../../../../pipeline/core';
import { BatchConsumer, type ConsumerClient, type ConsumerClientListener, type ConsumerOptions } from '../../../../pipeline/kafka';
import type { CommitOffset } from '../../../../pipeline/kafka/consumer';

export const TOPIC = 'orders';

type Partition = { topic: string; partition: number };
export type Call =
  | { op: 'commit' | 'commitSync'; offsets: CommitOffset[] }
  | { op: 'assign' | 'pause' | 'resume'; partitions: Partition[] }
  | { op: 'unassign' | 'disconnect' };

/**
 * A broker-free ConsumerClient: records wait in a queue until consumed, paused or
 * unassigned partitions hand none out, and every call that reaches the broker is logged.
 */
export class FakeClient implements ConsumerClient {
  listener!: ConsumerClientListener;
  readonly calls: Call[] = [];
  consumeCalls = 0;
  /** Set to make the next commitSync (or commit) throw. */
  failCommit: Error | undefined;
  private queue: SourceRecord[] = [];
  private stale: SourceRecord[] = [];
  private assigned: Partition[] = [];
  private readonly paused = new Set<string>();
  private connected = false;

  listen(listener: ConsumerClientListener): void {
    this.listener = listener;
  }
  async connect(): Promise<void> {
    this.connected = true;
  }
  isConnected(): boolean {
    return this.connected;
  }
  subscribe(): void {}

  async consume(batchSize: number): Promise<SourceRecord[]> {
    this.consumeCalls++;
    if (this.stale.length === 0 && !this.queue.some((r) => this.fetchable(r))) await sleep(5);
    const out = this.stale.splice(0);
    this.queue = this.queue.filter((r) => {
      if (out.length >= batchSize || !this.fetchable(r)) return true;
      out.push(r);
      return false;
    });
    return out;
  }

  commit(offsets: CommitOffset[]): void {
    this.throwIfFailing();
    this.calls.push({ op: 'commit', offsets });
  }
  commitSync(offsets: CommitOffset[]): void {
    this.throwIfFailing();
    this.calls.push({ op: 'commitSync', offsets });
  }
  assign(partitions: Partition[]): void {
    this.assigned = partitions;
    this.calls.push({ op: 'assign', partitions });
  }
  unassign(): void {
    this.assigned = [];
    this.calls.push({ op: 'unassign' });
  }
  pause(partitions: Partition[]): void {
    for (const p of partitions) this.paused.add(`${p.topic}/${p.partition}`);
    this.calls.push({ op: 'pause', partitions });
  }
  resume(partitions: Partition[]): void {
    for (const p of partitions) this.paused.delete(`${p.topic}/${p.partition}`);
    this.calls.push({ op: 'resume', partitions });
  }
  async disconnect(): Promise<void> {
    this.connected = false;
    this.calls.push({ op: 'disconnect' });
  }

  /** Queues records `from`..`from + count - 1` of a partition, as if produced. */
  produce(partition: number, from: number, count: number): void {
    for (let o = from; o < from + count; o++) this.queue.push(record(partition, o));
  }
  /** Drops the queued records of a partition, as a seek drops what was fetched past the new position. */
  drop(partition: number): void {
    this.queue = this.queue.filter((r) => r.partition !== partition);
  }
  /** Records the next poll returns whatever the assignment: fetched before a rebalance. */
  produceStale(partition: number, from: number, count: number): void {
    for (let o = from; o < from + count; o++) this.stale.push(record(partition, o));
  }
  /** The group assigns these partitions of TOPIC (the rebalance callback). */
  rebalanceAssign(...partitions: number[]): void {
    this.listener.assigned(partitions.map((partition) => ({ topic: TOPIC, partition })));
  }
  rebalanceRevoke(): void {
    this.listener.revoked(this.assigned);
  }
  ops(op: Call['op']): Call[] {
    return this.calls.filter((c) => c.op === op);
  }

  private fetchable(r: SourceRecord): boolean {
    return this.assigned.some((p) => p.topic === r.topic && p.partition === r.partition) && !this.paused.has(`${r.topic}/${r.partition}`);
  }
  private throwIfFailing(): void {
    const err = this.failCommit;
    this.failCommit = undefined;
    if (err) throw err;
  }
}

export function record(partition: number, offset: number): SourceRecord {
  return { topic: TOPIC, partition, offset, key: null, value: Buffer.from(String(offset)), headers: [] };
}

export const offsetsOf = (records: readonly SourceRecord[]) => records.map((r) => `${r.partition}:${r.offset}`);

export interface Harness {
  readonly client: FakeClient;
  readonly consumer: BatchConsumer;
  /** Records handed to the handler, in order. */
  readonly received: SourceRecord[];
  readonly errors: Error[];
  readonly events: string[];
}

const live: BatchConsumer[] = [];

/** Closes every consumer `started` made, without waiting for records the test left in flight. */
export async function closeAll(): Promise<void> {
  for (const c of live.splice(0)) {
    c.tracker.forgetAll();
    await c.close();
  }
}

/** A connected consumer on a fake client, started with a handler that never acks itself. */
export async function started(options: Partial<ConsumerOptions> = {}, assign: number[] = [0]): Promise<Harness> {
  const client = new FakeClient();
  const consumer = new BatchConsumer({ brokers: ['fake:9092'], groupId: 'g', topics: [TOPIC], batchSize: 10, commitIntervalMs: 60_000, drainTimeoutMs: 2000, ...options }, client);
  const h: Harness = { client, consumer, received: [], errors: [], events: [] };
  consumer.on('error', (err) => h.errors.push(err));
  consumer.on('paused', (n) => h.events.push(`paused:${n}`));
  consumer.on('resumed', (n) => h.events.push(`resumed:${n}`));
  consumer.on('revoked', (p) => h.events.push(`revoked:${p.map((x) => x.partition).join(',')}`));
  live.push(consumer);
  await consumer.connect();
  if (assign.length > 0) client.rebalanceAssign(...assign);
  void consumer.start((records) => void h.received.push(...records));
  return h;
}

/** Resolves once `condition` holds; fails the test after `timeoutMs`. */
export async function until(condition: () => boolean, what: string, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
}
