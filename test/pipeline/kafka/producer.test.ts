import { CODES } from '@confluentinc/kafka-javascript';
import { EventEmitter } from 'node:events';
import { ClosedError, ErrorCode, KafkaError } from '../../../pipeline/errors';
import { KafkaProducer, type DeliveryCallback } from '../../../pipeline/kafka';

/**
 * KafkaProducer around a stand-in for librdkafka's Producer (never connected, no broker):
 * `produce` does what the test says, delivery reports are emitted by hand.
 */
function producerWith(produce: (opaque: DeliveryCallback) => void, transactionalId?: string): { producer: KafkaProducer; native: EventEmitter } {
  const producer = new KafkaProducer({ brokers: ['127.0.0.1:1'], transactionalId });
  const native = Object.assign(new EventEmitter(), {
    produce: (_t: string, _p: number | null, _v: Buffer | null, _k: unknown, _ts: number | null, opaque: DeliveryCallback) => produce(opaque),
  });
  // The listener KafkaProducer registered on the real handle, moved to the stand-in.
  const real = (producer as unknown as { producer: EventEmitter }).producer;
  for (const l of real.listeners('delivery-report')) native.on('delivery-report', l as (...a: unknown[]) => void);
  (producer as unknown as { producer: unknown }).producer = native;
  return { producer, native };
}

const librdkafkaError = (name: keyof typeof CODES.ERRORS) => Object.assign(new Error(`Local: ${name}`), { code: CODES.ERRORS[name] });
const record = { topic: 't', key: 'k', value: Buffer.from('v') };

describe('KafkaProducer error classification (no broker)', () => {
  it('hands a delivery failure to the callback as a KafkaError with the table’s retryable', () => {
    const opaques: DeliveryCallback[] = [];
    const { producer, native } = producerWith((cb) => opaques.push(cb));
    const seen: Array<Parameters<DeliveryCallback>> = [];
    for (let i = 0; i < 3; i++) producer.sendWithCallback(record, (err, d) => seen.push([err, d]));
    expect(producer.pending).toBe(3);
    native.emit('delivery-report', librdkafkaError('ERR__MSG_TIMED_OUT'), { topic: 't', partition: 0, offset: 1, opaque: opaques[0] });
    native.emit('delivery-report', librdkafkaError('ERR_MSG_SIZE_TOO_LARGE'), { topic: 't', partition: 0, offset: 2, opaque: opaques[1] });
    native.emit('delivery-report', null, { topic: 't', partition: 2, offset: 7, opaque: opaques[2] });
    expect(producer.pending).toBe(0);
    expect(seen.map(([e]) => e && { kind: e.constructor.name, code: e.code, retryable: e.retryable })).toEqual([
      { kind: 'KafkaError', code: ErrorCode.TIMEOUT, retryable: true },
      { kind: 'KafkaError', code: ErrorCode.KAFKA_REJECTED, retryable: false },
      null,
    ]);
    expect(seen[0]![0]!.message).toBe('delivery to t failed: Local: ERR__MSG_TIMED_OUT');
    expect(seen[2]![1]).toEqual({ topic: 't', partition: 2, offset: 7 });
  });

  it('settles pendingBelow with the delivery report that brings the count under it, not before', async () => {
    const opaques: DeliveryCallback[] = [];
    const { producer, native } = producerWith((cb) => opaques.push(cb));
    for (let i = 0; i < 3; i++) producer.sendWithCallback(record, () => undefined);
    await expect(producer.pendingBelow(4)).resolves.toBeUndefined();
    let below2 = false;
    let below1 = false;
    void producer.pendingBelow(2).then(() => (below2 = true));
    void producer.pendingBelow(1).then(() => (below1 = true));
    native.emit('delivery-report', null, { topic: 't', partition: 0, offset: 1, opaque: opaques[0] });
    await Promise.resolve();
    expect([below2, below1]).toEqual([false, false]);
    native.emit('delivery-report', librdkafkaError('ERR__MSG_TIMED_OUT'), { topic: 't', partition: 0, offset: 2, opaque: opaques[1] });
    await Promise.resolve();
    expect([below2, below1]).toEqual([true, false]);
    native.emit('delivery-report', null, { topic: 't', partition: 0, offset: 3, opaque: opaques[2] });
    await Promise.resolve();
    expect([below2, below1]).toEqual([true, true]);
  });

  it('rejects send() with the classified KafkaError itself', async () => {
    const { producer, native } = producerWith((cb) => setImmediate(() => native.emit('delivery-report', librdkafkaError('ERR__ALL_BROKERS_DOWN'), { topic: 't', partition: 0, offset: 0, opaque: cb })));
    const err = (await producer.send(record).catch((e: unknown) => e)) as KafkaError;
    expect(err).toBeInstanceOf(KafkaError);
    expect(err).toMatchObject({ code: ErrorCode.KAFKA_UNAVAILABLE, retryable: true });
  });

  it('holds records back on QUEUE_FULL and hands them over once librdkafka takes them again', async () => {
    let full = true;
    const taken: DeliveryCallback[] = [];
    const { producer } = producerWith((cb) => {
      if (full) throw librdkafkaError('ERR__QUEUE_FULL');
      taken.push(cb);
    });
    producer.sendWithCallback(record, () => undefined);
    producer.sendWithCallback(record, () => undefined);
    expect(producer.pending).toBe(2);
    expect(taken).toHaveLength(0);
    full = false;
    // The drain runs on a 5 ms timer: wait for it rather than for a fixed time.
    for (const deadline = Date.now() + 2000; taken.length < 2 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 5));
    expect(taken).toHaveLength(2);
    expect(producer.pending).toBe(2);
  });

  it('throws a non-retryable KafkaError when librdkafka refuses a record outright', () => {
    const { producer } = producerWith(() => {
      throw librdkafkaError('ERR__UNKNOWN_PARTITION');
    });
    expect(() => producer.sendWithCallback(record, () => undefined)).toThrow(expect.objectContaining({ code: ErrorCode.KAFKA_REJECTED, retryable: false }));
  });

  it('tells the callback, not a timer, when a held-back record is refused', async () => {
    let calls = 0;
    const { producer } = producerWith(() => {
      if (++calls === 1) throw librdkafkaError('ERR__QUEUE_FULL');
      throw librdkafkaError('ERR_MSG_SIZE_TOO_LARGE');
    });
    const err = await new Promise<KafkaError | null>((resolve) => producer.sendWithCallback(record, (e) => resolve(e)));
    expect(err).toMatchObject({ code: ErrorCode.KAFKA_REJECTED, retryable: false });
  });

  it('throws a ClosedError, which is not retryable, once close() began', async () => {
    const { producer } = producerWith(() => undefined);
    await producer.close();
    let thrown: unknown;
    try {
      producer.sendWithCallback(record, () => undefined);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ClosedError);
    expect((thrown as ClosedError).retryable).toBe(false);
  });

  it('fails the records waiting for queue space when a transactional producer is renewed, and gives the new handle none of them', async () => {
    const { producer, native } = producerWith(() => {
      throw librdkafkaError('ERR__QUEUE_FULL');
    }, 'tx-1');
    Object.assign(native, { disconnect: (_timeout: number, cb: () => void) => cb() });
    let producedByNew = 0;
    const renewed = Object.assign(new EventEmitter(), { produce: () => void producedByNew++ });
    // The new handle and its initTransactions are librdkafka's; here a stand-in that takes all.
    Object.assign(producer, { createHandle: () => renewed, connect: () => Promise.resolve() });
    const heard: Array<KafkaError | null> = [];
    producer.sendWithCallback(record, (e) => heard.push(e));
    producer.sendWithCallback(record, (e) => heard.push(e));
    expect(producer.pending).toBe(2);
    await producer.renew();
    expect(heard).toEqual([expect.any(ClosedError), expect.any(ClosedError)]);
    expect(producer.pending).toBe(0);
    await new Promise((r) => setTimeout(r, 30));
    expect(producedByNew).toBe(0);
  });
});
