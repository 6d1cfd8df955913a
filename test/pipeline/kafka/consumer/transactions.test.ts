import { CODES } from '@confluentinc/kafka-javascript';
import type { SourceRecord } from '../../../../pipeline/core';
import { ClosedError, ErrorCode, KafkaError, transactionError } from '../../../../pipeline/errors';
import { BatchConsumer, KafkaSink, type CommitOffset, type TransactionalProducer } from '../../../../pipeline/kafka';
import type { Delivery, DeliveryCallback, OutgoingRecord } from '../../../../pipeline/kafka/producer';
import { FakeClient, TOPIC, until } from './fakeClient';

/**
 * Exactly-once on fakes: a transaction per batch that carries the outputs and the offsets,
 * an abort that seeks back to the committed offsets and reads the batch again, fencing that
 * stops the consumer with nothing committed, and a revocation that waits for the transaction.
 */

type TxnOp = 'begin' | 'sendOffsets' | 'commit' | 'abort' | 'renew';

/** A librdkafka-shaped transaction error (the flags rd_kafka_error_t carries). */
function librdError(code: number, flags: { isFatal?: boolean; isRetriable?: boolean; isTxnRequiresAbort?: boolean }): Error {
  return Object.assign(new Error(`code ${code}`), { code, ...flags });
}

/** A transactional producer whose transactions commit into `committed`, unless told to fail. */
class FakeTxnProducer implements TransactionalProducer {
  readonly ops: TxnOp[] = [];
  /** Outputs of committed transactions only: what a read_committed reader sees. */
  readonly visible: OutgoingRecord[] = [];
  readonly committed = new Map<number, CommitOffset>();
  readonly sentOffsets: CommitOffset[][] = [];
  private open: OutgoingRecord[] = [];
  private openOffsets: CommitOffset[] = [];
  private pending = 0;
  /** Delivery of a record fails (once) when this says so. */
  failDelivery: ((r: OutgoingRecord) => boolean) | undefined;
  /** The next call of that step rejects with this error. */
  readonly failNext = new Map<TxnOp, Error>();
  /** Reports held back by the test, delivered when it says. */
  held: Array<() => void> | undefined;
  /** Called when commit starts: lets a test act in the middle of a transaction. */
  onCommit: (() => Promise<void>) | undefined;

  sendWithCallback(record: OutgoingRecord, cb: DeliveryCallback): void {
    this.pending++;
    const report = () => {
      this.pending--;
      if (this.failDelivery?.(record)) {
        this.failDelivery = undefined;
        return cb(new KafkaError('delivery failed', { code: ErrorCode.KAFKA_REJECTED }), null);
      }
      this.open.push(record);
      cb(null, { topic: record.topic, partition: 0, offset: 0 } satisfies Delivery);
    };
    if (this.held) this.held.push(report);
    else setImmediate(report);
  }
  async flush(): Promise<void> {
    await until(() => this.pending === 0, 'delivery reports');
  }
  async beginTransaction(): Promise<void> {
    this.step('begin');
    this.open = [];
    this.openOffsets = [];
  }
  async sendOffsetsToTransaction(offsets: readonly CommitOffset[]): Promise<void> {
    this.step('sendOffsets');
    this.sentOffsets.push([...offsets]);
    this.openOffsets.push(...offsets);
  }
  async commitTransaction(): Promise<void> {
    await this.onCommit?.();
    this.step('commit');
    this.visible.push(...this.open);
    for (const o of this.openOffsets) this.committed.set(o.partition, o);
  }
  async abortTransaction(): Promise<void> {
    this.step('abort');
    this.open = [];
    this.openOffsets = [];
  }
  private step(op: TxnOp): void {
    this.ops.push(op);
    const err = this.failNext.get(op);
    if (!err) return;
    this.failNext.delete(op);
    throw transactionError(`${op} failed`, err);
  }
}

/**
 * A producer that can be renewed, as KafkaProducer: the new handle's initTransactions
 * aborts what the old one left open. `fenceEveryCommit` plays a second instance with the
 * same transactional id, which fences this one again after each renewal.
 */
class RenewableTxnProducer extends FakeTxnProducer {
  renewals = 0;
  fenceEveryCommit = false;
  /** The next renewal rejects with this error. */
  failRenew: Error | undefined;

  override async commitTransaction(): Promise<void> {
    if (this.fenceEveryCommit) this.failNext.set('commit', librdError(CODES.ERRORS.ERR__FENCED, { isFatal: true }));
    return super.commitTransaction();
  }
  async renew(): Promise<void> {
    this.ops.push('renew');
    if (this.failRenew) throw this.failRenew;
    this.renewals++;
    await this.abortTransaction();
    this.ops.pop();
  }
}

/** The fake consumer client, with what exactly-once needs: committed offsets and seek. */
class SeekingClient extends FakeClient {
  readonly seeks: CommitOffset[] = [];
  private readonly ends = new Map<number, number>();

  constructor(private readonly producer: FakeTxnProducer) {
    super();
  }
  override produce(partition: number, from: number, count: number): void {
    this.ends.set(partition, Math.max(this.ends.get(partition) ?? 0, from + count));
    super.produce(partition, from, count);
  }
  async committed(partitions: ReadonlyArray<{ topic: string; partition: number }>): Promise<CommitOffset[]> {
    return partitions.map((p) => this.producer.committed.get(p.partition) ?? { topic: p.topic, partition: p.partition, offset: -1001 });
  }
  /** As librdkafka: what was fetched past the position is dropped, and fetched again from it. */
  async seek(offset: CommitOffset): Promise<void> {
    this.seeks.push(offset);
    this.drop(offset.partition);
    const from = offset.offset < 0 ? 0 : offset.offset;
    super.produce(offset.partition, from, (this.ends.get(offset.partition) ?? from) - from);
  }
  groupHandle(): unknown {
    return 'group-metadata';
  }
}

interface Eos {
  readonly client: SeekingClient;
  readonly producer: FakeTxnProducer;
  readonly consumer: BatchConsumer;
  /** Records the handler saw, in order (a re-read batch shows again). */
  readonly handled: SourceRecord[];
  readonly errors: Error[];
  readonly rewound: number[][];
  readonly loop: Promise<void>;
}

const live: BatchConsumer[] = [];
afterEach(async () => {
  for (const c of live.splice(0)) {
    c.tracker.forgetAll();
    await c.close();
  }
});

/** A consumer under exactly-once whose handler sends one output per record through its sender. */
async function eos(partitions: number[] = [0], producer = new FakeTxnProducer()): Promise<Eos> {
  const client = new SeekingClient(producer);
  const consumer = new BatchConsumer({ brokers: ['fake:9092'], groupId: 'g', topics: [TOPIC], batchSize: 10, drainTimeoutMs: 2000, transactional: producer }, client);
  live.push(consumer);
  const handled: SourceRecord[] = [];
  const errors: Error[] = [];
  const rewound: number[][] = [];
  consumer.on('error', (e) => errors.push(e));
  consumer.on('rewound', (p) => rewound.push(p.map((x) => x.partition)));
  const sink = new KafkaSink<SourceRecord>({
    producer: consumer.sender!,
    onAcked: (r) => consumer.ack(r),
    onFailed: (_out, err) => {
      if (!(err instanceof ClosedError)) errors.push(err);
    },
  });
  await consumer.connect();
  client.rebalanceAssign(...partitions);
  const loop = consumer.start((records) => {
    for (const r of records) {
      handled.push(r);
      sink.send({ topic: 'out', key: null, value: Buffer.from(`${r.partition}:${r.offset}`) }, r);
    }
  });
  loop.catch(() => undefined);
  return { client, producer, consumer, handled, errors, rewound, loop };
}

const values = (records: readonly OutgoingRecord[]) => records.map((r) => r.value!.toString());
const range = (partition: number, from: number, to: number) => Array.from({ length: to - from }, (_, i) => `${partition}:${from + i}`);

describe('BatchConsumer under exactly-once', () => {
  it('commits each batch with its outputs and its next offsets in one transaction, and never by itself', async () => {
    const h = await eos([0, 1]);
    h.client.produce(0, 0, 10);
    h.client.produce(1, 0, 5);
    await until(() => h.producer.committed.get(0)?.offset === 10 && h.producer.committed.get(1)?.offset === 5, 'offsets in a transaction');
    expect(h.producer.ops.slice(0, 3)).toEqual(['begin', 'sendOffsets', 'commit']);
    expect(h.producer.ops.filter((o) => o === 'abort')).toEqual([]);
    expect(values(h.producer.visible).sort()).toEqual([...range(0, 0, 10), ...range(1, 0, 5)].sort());
    h.consumer.commitFinished();
    expect(h.client.ops('commit')).toEqual([]);
    expect(h.client.ops('commitSync')).toEqual([]);
  });

  it('keeps the commit metadata in the offsets it sends', async () => {
    const producer = new FakeTxnProducer();
    const client = new SeekingClient(producer);
    const consumer = new BatchConsumer(
      { brokers: ['fake:9092'], groupId: 'g', topics: [TOPIC], batchSize: 10, transactional: producer, commitMetadata: (_t, p, o) => `m${p}@${o}` },
      client,
    );
    live.push(consumer);
    await consumer.connect();
    client.rebalanceAssign(0);
    void consumer.start((records) => records.forEach((r) => consumer.ack(r)));
    client.produce(0, 0, 4);
    await until(() => producer.committed.get(0)?.offset === 4, 'offsets in a transaction');
    expect(producer.sentOffsets).toEqual([[{ topic: TOPIC, partition: 0, offset: 4, metadata: 'm0@4' }]]);
  });

  it('carries changed metadata in the transaction even when the offset did not move, and again after an abort', async () => {
    const producer = new FakeTxnProducer();
    const client = new SeekingClient(producer);
    let checkpoint = 'c1';
    const consumer = new BatchConsumer(
      { brokers: ['fake:9092'], groupId: 'g', topics: [TOPIC], batchSize: 10, transactional: producer, commitMetadata: () => checkpoint },
      client,
    );
    live.push(consumer);
    const errors: Error[] = [];
    consumer.on('error', (e) => errors.push(e));
    await consumer.connect();
    client.rebalanceAssign(0);
    // Offset 0 stays held, as by an open window: only the checkpoint can change.
    let seen = -1;
    void consumer.start((records) => {
      for (const r of records) seen = Math.max(seen, r.offset);
      records.filter((r) => r.offset > 0).forEach((r) => consumer.ack(r));
    });
    client.produce(0, 0, 4);
    await until(() => producer.committed.get(0)?.metadata === 'c1', 'the first checkpoint in a transaction');
    expect(producer.committed.get(0)?.offset).toBe(0);
    const sent = producer.sentOffsets.length;
    checkpoint = 'c2';
    producer.failNext.set('commit', librdError(CODES.ERRORS.ERR__STATE, {}));
    client.produce(0, 4, 1);
    await until(() => producer.committed.get(0)?.metadata === 'c2', 'the changed checkpoint, after the abort');
    expect(producer.committed.get(0)?.offset).toBe(0);
    expect(producer.ops).toContain('abort');
    expect(errors.map((e) => e.message)).toEqual([expect.stringContaining('transaction aborted (1 in a row)')]);
    // Unchanged metadata at an unchanged offset is not sent again.
    const after = producer.sentOffsets.length;
    client.produce(0, 5, 1);
    await until(() => seen === 5 && producer.ops.at(-1) === 'commit', 'the transaction of offset 5');
    expect(producer.sentOffsets.length).toBe(after);
    expect(after).toBeGreaterThan(sent);
  });

  it('aborts a transaction whose output failed, seeks back to the committed offset and reads the batch again', async () => {
    const h = await eos();
    h.client.produce(0, 0, 10);
    await until(() => h.producer.committed.get(0)?.offset === 10, 'the first batch');
    h.producer.failDelivery = (r) => r.value!.toString() === '0:13';
    h.client.produce(0, 10, 10);
    await until(() => h.producer.committed.get(0)?.offset === 20, 'the second batch, after a retry');
    expect(h.producer.ops.filter((o) => o === 'abort')).toHaveLength(1);
    expect(h.client.seeks).toEqual([{ topic: TOPIC, partition: 0, offset: 10 }]);
    expect(h.rewound).toEqual([[0]]);
    // Read twice, visible once: the aborted attempt's outputs never show.
    expect(h.handled.filter((r) => r.offset === 13)).toHaveLength(2);
    expect(values(h.producer.visible)).toEqual(range(0, 0, 20));
    expect(h.errors.map((e) => e.message)).toEqual([expect.stringContaining('transaction aborted (1 in a row)')]);
  });

  it('aborts and reads again when the offsets are refused (a rebalance moved the generation on)', async () => {
    const h = await eos();
    h.producer.failNext.set('sendOffsets', librdError(CODES.ERRORS.ERR_ILLEGAL_GENERATION, { isTxnRequiresAbort: true }));
    h.client.produce(0, 0, 5);
    await until(() => h.producer.committed.get(0)?.offset === 5, 'the batch after the abort');
    expect(h.producer.ops.slice(0, 3)).toEqual(['begin', 'sendOffsets', 'abort']);
    // Never committed before: back to the start, as auto.offset.reset=earliest says.
    expect(h.client.seeks).toEqual([{ topic: TOPIC, partition: 0, offset: -2 }]);
    expect(values(h.producer.visible)).toEqual(range(0, 0, 5));
  });

  it('calls a commit librdkafka calls retriable again, without aborting', async () => {
    const h = await eos();
    h.producer.failNext.set('commit', librdError(CODES.ERRORS.ERR__TIMED_OUT, { isRetriable: true }));
    h.client.produce(0, 0, 5);
    await until(() => h.producer.committed.get(0)?.offset === 5, 'the batch');
    expect(h.producer.ops).toEqual(['begin', 'sendOffsets', 'commit', 'commit']);
    expect(h.client.seeks).toEqual([]);
  });

  it('stops when the producer is fenced: the batch is neither visible nor committed, and the consumer commits nothing', async () => {
    const h = await eos();
    h.client.produce(0, 0, 5);
    await until(() => h.producer.committed.get(0)?.offset === 5, 'the first batch');
    h.producer.failNext.set('commit', librdError(CODES.ERRORS.ERR__FENCED, { isFatal: true }));
    h.client.produce(0, 5, 5);
    await expect(h.loop).rejects.toMatchObject({ code: ErrorCode.KAFKA_FATAL, message: expect.stringContaining('fenced') });
    expect(h.producer.ops.slice(-1)).toEqual(['commit']);
    expect(h.producer.committed.get(0)?.offset).toBe(5);
    expect(values(h.producer.visible)).toEqual(range(0, 0, 5));
    await h.consumer.close();
    expect(h.client.ops('commit')).toEqual([]);
    expect(h.client.ops('commitSync')).toEqual([]);
  });

  it('does not take a delivery report that arrives after its transaction was aborted as an ack', async () => {
    const h = await eos();
    h.producer.held = [];
    h.client.produce(0, 0, 3);
    await until(() => h.producer.held!.length === 3, 'three sends');
    // One report fails, the transaction aborts, and only then do the other two come.
    const [first, ...late] = h.producer.held!;
    h.producer.failDelivery = () => true;
    h.producer.held = undefined;
    first!();
    await until(() => h.producer.ops.includes('abort'), 'the abort', 5000);
    for (const r of late) r();
    expect(h.consumer.tracker.inFlightFor(TOPIC, 0)).toBe(0);
    await until(() => h.producer.committed.get(0)?.offset === 3, 'the re-read batch');
    expect(values(h.producer.visible)).toEqual(range(0, 0, 3));
  });

  it('on revocation waits for the open transaction, whose offsets include the revoked partitions, before giving them up', async () => {
    const h = await eos([0, 1]);
    let revokedDuring = false;
    let unassignedDuring = -1;
    h.producer.onCommit = async () => {
      if (revokedDuring) return;
      revokedDuring = true;
      h.client.rebalanceRevoke();
      // The hand-over must not happen while this transaction is open.
      await new Promise((r) => setTimeout(r, 50));
      unassignedDuring = h.client.ops('unassign').length;
    };
    h.client.produce(0, 0, 4);
    h.client.produce(1, 0, 4);
    await until(() => h.client.ops('unassign').length === 1, 'the hand-over');
    expect(unassignedDuring).toBe(0);
    expect(h.producer.sentOffsets[0]).toEqual(
      expect.arrayContaining([
        { topic: TOPIC, partition: 0, offset: expect.any(Number) },
        { topic: TOPIC, partition: 1, offset: expect.any(Number) },
      ]),
    );
    expect(h.client.ops('commitSync')).toEqual([]);
  });

  it('renews a producer librdkafka calls fatal (a coordinator failover), reads the batch again from the committed offsets and carries on', async () => {
    const producer = new RenewableTxnProducer();
    const h = await eos([0], producer);
    h.client.produce(0, 0, 5);
    await until(() => producer.committed.get(0)?.offset === 5, 'the first batch');
    producer.failNext.set('sendOffsets', librdError(CODES.ERRORS.ERR__FENCED, { isFatal: true }));
    h.client.produce(0, 5, 5);
    await until(() => producer.committed.get(0)?.offset === 10, 'the second batch, after the renewal');
    expect(producer.renewals).toBe(1);
    expect(producer.ops.slice(3)).toEqual(['begin', 'sendOffsets', 'renew', 'begin', 'sendOffsets', 'commit']);
    expect(h.client.seeks).toEqual([{ topic: TOPIC, partition: 0, offset: 5 }]);
    expect(h.rewound).toEqual([[0]]);
    // Read twice, visible once: the renewal aborted the first attempt.
    expect(h.handled.filter((r) => r.offset === 7)).toHaveLength(2);
    expect(values(producer.visible)).toEqual(range(0, 0, 10));
    expect(h.errors.map((e) => e.message)).toEqual([expect.stringContaining('the transactional producer is renewed (1 of 3 within 600 s)')]);
    expect(h.errors[0]).toMatchObject({ retryable: true });
  });

  it('renews the producer when an abort fails, instead of stopping', async () => {
    const producer = new RenewableTxnProducer();
    const h = await eos([0], producer);
    producer.failDelivery = (r) => r.value!.toString() === '0:2';
    producer.failNext.set('abort', librdError(CODES.ERRORS.ERR__FENCED, { isFatal: true }));
    h.client.produce(0, 0, 5);
    await until(() => producer.committed.get(0)?.offset === 5, 'the batch, after the renewal');
    expect(producer.renewals).toBe(1);
    expect(values(producer.visible)).toEqual(range(0, 0, 5));
  });

  it('stops after three renewals in the window: two instances with one transactional id do not fence each other forever', async () => {
    const producer = new RenewableTxnProducer();
    producer.fenceEveryCommit = true;
    const h = await eos([0], producer);
    h.client.produce(0, 0, 5);
    await expect(h.loop).rejects.toMatchObject({ code: ErrorCode.KAFKA_FATAL, message: expect.stringContaining('fenced by a newer instance, or broken) (renewed 3 times in the window already)') });
    expect(producer.renewals).toBe(3);
    expect(producer.visible).toEqual([]);
    expect(producer.committed.size).toBe(0);
    await h.consumer.close();
    expect(h.client.ops('commit')).toEqual([]);
    expect(h.client.ops('commitSync')).toEqual([]);
  });

  it('forgets renewals older than the window', async () => {
    let now = 0;
    const spy = jest.spyOn(Date, 'now').mockImplementation(() => now);
    try {
      const producer = new RenewableTxnProducer();
      const h = await eos([0], producer);
      for (let i = 0; i < 5; i++) {
        producer.failNext.set('commit', librdError(CODES.ERRORS.ERR__FENCED, { isFatal: true }));
        h.client.produce(0, i * 2, 2);
        await until(() => producer.committed.get(0)?.offset === i * 2 + 2, `batch ${i}`);
        now += 300_000;
      }
      expect(producer.renewals).toBe(5);
      expect(values(producer.visible)).toEqual(range(0, 0, 10));
    } finally {
      spy.mockRestore();
    }
  });

  it('stops when renewing the producer fails, with nothing of the batch visible', async () => {
    const producer = new RenewableTxnProducer();
    producer.failRenew = transactionError('initTransactions failed', librdError(CODES.ERRORS.ERR_TRANSACTIONAL_ID_AUTHORIZATION_FAILED, { isFatal: true }));
    const h = await eos([0], producer);
    producer.failNext.set('commit', librdError(CODES.ERRORS.ERR__FENCED, { isFatal: true }));
    h.client.produce(0, 0, 5);
    await expect(h.loop).rejects.toMatchObject({ code: ErrorCode.KAFKA_FATAL, message: expect.stringContaining('initTransactions failed') });
    expect(producer.visible).toEqual([]);
    expect(producer.committed.size).toBe(0);
  });
});
