import { ClosedError } from '../../../pipeline/errors';
import { KafkaSink, type OutgoingRecord } from '../../../pipeline/kafka';
import { FakeProducer, permanent, retryable, unauthorized } from '../../helpers/fakeKafka';

const record = (name: string): OutgoingRecord => ({ topic: 'out', key: name, value: Buffer.from(name) });

function sinkWith(producer: FakeProducer, over: { initialMs?: number; maxMs?: number; maxAttempts?: number } = {}) {
  const acked: string[] = [];
  const failed: Array<{ record: OutgoingRecord; err: Error; ref: string }> = [];
  const retries: Array<{ attempt: number; delay: number }> = [];
  const sink = new KafkaSink<string>({
    producer,
    onAcked: (ref) => acked.push(ref),
    onFailed: (r, err, ref) => failed.push({ record: r, err, ref }),
    onRetry: (_r, _err, attempt, delay) => retries.push({ attempt, delay }),
    // The top of the jitter range: delays are exactly initialMs * 2^attempt, capped.
    random: () => 1,
    ...over,
  });
  return { sink, acked, failed, retries };
}

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

describe('KafkaSink', () => {
  it('acknowledges each record once, only after the broker acknowledged it', () => {
    const producer = new FakeProducer();
    const { sink, acked, failed } = sinkWith(producer);
    for (const n of ['a', 'b', 'c']) sink.send(record(n), n);
    expect(producer.sent.map((r) => r.key)).toEqual(['a', 'b', 'c']);
    expect(acked).toEqual([]);
    expect(producer.deliver()).toBe(3);
    expect(acked).toEqual(['a', 'b', 'c']);
    expect(failed).toEqual([]);
    jest.runAllTimers();
    expect(producer.sent).toHaveLength(3);
  });

  it('re-sends a retryable failure after a doubling delay, capped at maxMs, then acknowledges once', () => {
    const producer = new FakeProducer();
    producer.outcome = (_r, attempt) => (attempt <= 4 ? retryable() : null);
    const { sink, acked, failed, retries } = sinkWith(producer, { initialMs: 200, maxMs: 1000 });
    const r = record('a');
    sink.send(r, 'a');
    const expected = [200, 400, 800, 1000];
    for (const [attempt, delay] of expected.entries()) {
      producer.deliver();
      expect(retries[attempt]).toEqual({ attempt, delay });
      jest.advanceTimersByTime(delay - 1);
      expect(producer.attempts(r)).toBe(attempt + 1);
      jest.advanceTimersByTime(1);
      expect(producer.attempts(r)).toBe(attempt + 2);
    }
    producer.deliver();
    expect(acked).toEqual(['a']);
    expect(retries).toHaveLength(4);
    expect(failed).toEqual([]);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('retries a record the broker refuses for a missing permission, until the permission is back, and never fails it', () => {
    const producer = new FakeProducer();
    let granted = false;
    producer.outcome = () => (granted ? null : unauthorized());
    const { sink, acked, failed, retries } = sinkWith(producer, { initialMs: 200, maxMs: 1000 });
    const r = record('a');
    sink.send(r, 'a');
    for (let i = 0; i < 6; i++) {
      producer.deliver();
      jest.advanceTimersByTime(1000);
    }
    expect(failed).toEqual([]);
    expect(retries.length).toBeGreaterThanOrEqual(6);
    expect(sink.pending).toBe(1);
    granted = true;
    producer.deliver();
    expect(acked).toEqual(['a']);
    expect(failed).toEqual([]);
  });

  it('gives up after maxAttempts retryable failures, when asked to (best-effort records)', () => {
    const producer = new FakeProducer();
    const error = retryable();
    producer.outcome = () => error;
    const { sink, acked, failed, retries } = sinkWith(producer, { initialMs: 10, maxMs: 10, maxAttempts: 3 });
    const r = record('a');
    sink.send(r, 'a');
    for (let n = 0; n < 5; n++) {
      producer.deliver();
      jest.advanceTimersByTime(10);
    }
    expect(producer.attempts(r)).toBe(3);
    expect(retries).toHaveLength(2);
    expect(failed).toEqual([{ record: r, err: error, ref: 'a' }]);
    expect(acked).toEqual([]);
  });

  it('counts as pending every record until it is acknowledged or failed for good, retries waiting included', () => {
    const producer = new FakeProducer();
    producer.outcome = (r, attempt) => (r.key === 'b' && attempt === 1 ? retryable() : r.key === 'c' ? permanent() : null);
    const { sink } = sinkWith(producer, { initialMs: 100, maxMs: 100 });
    for (const n of ['a', 'b', 'c']) sink.send(record(n), n);
    expect(sink.pending).toBe(3);
    producer.deliver();
    // a acknowledged, c failed for good, b waiting for its retry.
    expect(sink.pending).toBe(1);
    jest.advanceTimersByTime(100);
    expect(sink.pending).toBe(1);
    producer.deliver();
    expect(sink.pending).toBe(0);
  });

  it.each([
    ['a KafkaError marked not retryable', permanent()],
    ['an error that does not say it is retryable', new Error('unknown')],
  ])('stops at %s: onFailed with the record, no ack, no re-send', (_name, error) => {
    const producer = new FakeProducer();
    producer.outcome = () => error;
    const { sink, acked, failed, retries } = sinkWith(producer);
    const r = record('a');
    sink.send(r, 'ref-a');
    producer.deliver();
    expect(failed).toEqual([{ record: r, err: error, ref: 'ref-a' }]);
    jest.runAllTimers();
    expect(producer.sent).toHaveLength(1);
    expect(acked).toEqual([]);
    expect(retries).toEqual([]);
  });

  it('treats a ClosedError thrown by sendWithCallback as final: onFailed at once, nothing scheduled', () => {
    const producer = new FakeProducer();
    producer.throwing = new ClosedError('producer');
    const { sink, acked, failed } = sinkWith(producer);
    sink.send(record('a'), 'a');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.err).toBeInstanceOf(ClosedError);
    expect(jest.getTimerCount()).toBe(0);
    expect(acked).toEqual([]);
  });

  it('retries a retryable error thrown by sendWithCallback', () => {
    const producer = new FakeProducer();
    producer.throwing = retryable('local queue broken');
    const { sink, acked, retries } = sinkWith(producer);
    sink.send(record('a'), 'a');
    expect(retries).toEqual([{ attempt: 0, delay: 200 }]);
    producer.throwing = undefined;
    jest.advanceTimersByTime(200);
    producer.deliver();
    expect(acked).toEqual(['a']);
  });

  it('keeps call order on the way out; a retried record goes behind the ones sent after it', () => {
    const producer = new FakeProducer();
    producer.outcome = (r, attempt) => (r.key === 'a' && attempt === 1 ? retryable() : null);
    const { sink, acked } = sinkWith(producer);
    for (const n of ['a', 'b', 'c']) sink.send(record(n), n);
    producer.deliver();
    expect(acked).toEqual(['b', 'c']);
    jest.advanceTimersByTime(200);
    expect(producer.sent.map((r) => r.key)).toEqual(['a', 'b', 'c', 'a']);
    producer.deliver();
    expect(acked).toEqual(['b', 'c', 'a']);
  });
});
