import { setImmediate as tick } from 'node:timers/promises';
import { ErrorCode, KafkaError } from '../../../pipeline/errors';
import { TransactionalSender, type Delivery, type DeliveryCallback, type OutgoingRecord } from '../../../pipeline/kafka';

type Op = 'begin' | 'commit' | 'abort' | 'renew';

/** A transactional producer on fakes: what a read_committed reader would see is `visible`. */
class FakeProducer {
  readonly ops: Op[] = [];
  readonly visible: string[] = [];
  private open: string[] = [];
  private inFlight = 0;
  /** The next call of that step rejects with this error. */
  readonly failNext = new Map<Op, Error>();
  /** Records librdkafka refuses outright (throws on produce). */
  refuse: ((value: string) => boolean) | undefined;
  /** Delivery of a record fails (once) with this error when it says so. */
  failDelivery: ((value: string) => KafkaError | undefined) | undefined;

  sendWithCallback(record: OutgoingRecord, cb: DeliveryCallback): void {
    const value = record.value!.toString();
    if (this.refuse?.(value)) throw new KafkaError(`could not send to ${record.topic}: too large`, { code: ErrorCode.KAFKA_REJECTED });
    this.inFlight++;
    setImmediate(() => {
      this.inFlight--;
      const err = this.failDelivery?.(value);
      if (err) return cb(err, null);
      this.open.push(value);
      cb(null, { topic: record.topic, partition: 0, offset: this.visible.length + this.open.length - 1 } satisfies Delivery);
    });
  }
  async flush(): Promise<void> {
    while (this.inFlight > 0) await tick();
  }
  async beginTransaction(): Promise<void> {
    this.step('begin');
    this.open = [];
  }
  async commitTransaction(): Promise<void> {
    this.step('commit');
    this.visible.push(...this.open);
    this.open = [];
  }
  async abortTransaction(): Promise<void> {
    this.step('abort');
    this.open = [];
  }
  async renew(): Promise<void> {
    this.step('renew');
    this.open = [];
  }
  private step(op: Op): void {
    this.ops.push(op);
    const err = this.failNext.get(op);
    if (!err) return;
    this.failNext.delete(op);
    throw err;
  }
}

const record = (v: string): OutgoingRecord => ({ topic: 'in', key: v, value: Buffer.from(v) });

function sender(producer: FakeProducer, o: { maxRecords?: number; maxAttempts?: number } = {}) {
  const heard: Array<[string, string | null]> = [];
  const retries: string[] = [];
  const s = new TransactionalSender({ producer, lingerMs: 5, initialBackoffMs: 1, onRetry: (err) => retries.push(err.message), ...o });
  const send = (v: string) => s.sendWithCallback(record(v), (err) => heard.push([v, err ? err.message : null]));
  return { s, send, heard, retries };
}

describe('TransactionalSender', () => {
  it('tells each record only once its transaction committed, a batch per transaction', async () => {
    const p = new FakeProducer();
    const { s, send, heard } = sender(p);
    for (const v of ['a', 'b', 'c']) send(v);
    expect(s.pending).toBe(3);
    await tick();
    expect(heard).toEqual([]);
    await s.flush();
    expect(p.ops).toEqual(['begin', 'commit']);
    expect(p.visible).toEqual(['a', 'b', 'c']);
    expect(heard).toEqual([
      ['a', null],
      ['b', null],
      ['c', null],
    ]);
    expect(s.pending).toBe(0);
  });

  it('sends a failed transaction again: every record visible once, each told once', async () => {
    const p = new FakeProducer();
    const { s, send, heard, retries } = sender(p);
    p.failNext.set('commit', new KafkaError('commit failed: coordinator moved'));
    for (const v of ['a', 'b']) send(v);
    await s.flush();
    expect(p.ops).toEqual(['begin', 'commit', 'abort', 'begin', 'commit']);
    expect(p.visible).toEqual(['a', 'b']);
    expect(heard).toEqual([
      ['a', null],
      ['b', null],
    ]);
    expect(retries).toEqual(['commit failed: coordinator moved']);
  });

  it('renews the producer after a fatal error (an epoch bump, a fence) and sends the batch again', async () => {
    const p = new FakeProducer();
    const { s, send, heard } = sender(p);
    p.failDelivery = (v) => (v === 'b' ? (p.failDelivery = undefined, new KafkaError('delivery failed: producer fenced', { code: ErrorCode.KAFKA_FATAL })) : undefined);
    for (const v of ['a', 'b', 'c']) send(v);
    await s.flush();
    expect(p.ops).toEqual(['begin', 'renew', 'begin', 'commit']);
    expect(p.visible).toEqual(['a', 'b', 'c']);
    expect(heard.map(([, e]) => e)).toEqual([null, null, null]);
  });

  it('fails a record refused for good alone, and commits the others', async () => {
    const p = new FakeProducer();
    const { s, send, heard } = sender(p);
    p.refuse = (v) => v === 'huge';
    for (const v of ['a', 'huge', 'b']) send(v);
    await s.flush();
    expect(p.visible).toEqual(['a', 'b']);
    expect(heard).toEqual([
      ['huge', 'could not send to in: too large'],
      ['a', null],
      ['b', null],
    ]);
    expect(s.pending).toBe(0);
  });

  it('fails the batch after maxAttempts transactions in a row failed, with nothing of it visible', async () => {
    const p = new FakeProducer();
    const { s, send, heard } = sender(p, { maxAttempts: 2 });
    p.failNext.set('commit', new KafkaError('commit failed'));
    const commit = p.commitTransaction.bind(p);
    let commits = 0;
    p.commitTransaction = async () => {
      if (++commits <= 2) p.failNext.set('commit', new KafkaError('commit failed'));
      return commit();
    };
    send('a');
    await s.flush();
    expect(p.visible).toEqual([]);
    expect(heard).toEqual([['a', '2 transactions in a row failed, 1 records not sent: commit failed']]);
    send('b');
    await s.flush();
    expect(p.visible).toEqual(['b']);
  });

  it('cuts transactions at maxRecords, and what arrives meanwhile goes in the next one', async () => {
    const p = new FakeProducer();
    const { s, send, heard } = sender(p, { maxRecords: 2 });
    for (const v of ['a', 'b', 'c', 'd', 'e']) send(v);
    await s.flush();
    expect(p.ops.filter((o) => o === 'commit')).toHaveLength(3);
    expect(p.visible).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(heard).toHaveLength(5);
  });

  it('settles pendingBelow as transactions commit', async () => {
    const p = new FakeProducer();
    const { s, send } = sender(p, { maxRecords: 2 });
    for (const v of ['a', 'b', 'c']) send(v);
    await expect(s.pendingBelow(4)).resolves.toBeUndefined();
    let below2 = false;
    const waiting = s.pendingBelow(2).then(() => (below2 = true));
    expect(below2).toBe(false);
    await waiting;
    expect(s.pending).toBeLessThan(2);
    await s.close();
    expect(() => send('late')).toThrow('transactional sender');
  });
});
