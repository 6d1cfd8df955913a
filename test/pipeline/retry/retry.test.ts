import { ClosedError, KafkaError } from '../../../pipeline/errors';
import { retry } from '../../../pipeline/retry';

const transient = (n: number) => new KafkaError(`broker down ${n}`, { retryable: true });

/** A function that fails with `failures[i]` on call i, then resolves with the call count. */
function failing(...failures: Error[]): { fn: (attempt: number) => Promise<number>; attempts: number[] } {
  const attempts: number[] = [];
  const fn = async (attempt: number) => {
    attempts.push(attempt);
    const err = failures[attempts.length - 1];
    if (err) throw err;
    return attempts.length;
  };
  return { fn, attempts };
}

describe('retry', () => {
  afterEach(() => jest.restoreAllMocks());

  it('retries retryable failures until the call succeeds, numbering the attempts', async () => {
    const { fn, attempts } = failing(transient(1), transient(2));
    await expect(retry(fn, { initialMs: 1, maxMs: 2 })).resolves.toBe(3);
    expect(attempts).toEqual([0, 1, 2]);
  });

  it('rethrows a non-retryable failure at once, without waiting or calling onRetry', async () => {
    const closed = new ClosedError('producer');
    const { fn, attempts } = failing(transient(1), closed, transient(3));
    const onRetry = jest.fn();
    await expect(retry(fn, { initialMs: 1, maxMs: 2, onRetry })).rejects.toBe(closed);
    expect(attempts).toEqual([0, 1]);
    expect(onRetry).toHaveBeenCalledTimes(1);
  });

  it('treats errors the table does not know (a plain Error) as not retryable by default', async () => {
    const bug = new TypeError('x is undefined');
    const { fn, attempts } = failing(bug);
    await expect(retry(fn, { initialMs: 1, maxMs: 2 })).rejects.toBe(bug);
    expect(attempts).toEqual([0]);
  });

  it('asks the isRetryable option instead of the table when given', async () => {
    const { fn, attempts } = failing(new Error('flaky'), new Error('flaky'));
    await expect(retry(fn, { initialMs: 1, maxMs: 2, isRetryable: (e) => (e as Error).message === 'flaky' })).resolves.toBe(3);
    expect(attempts).toEqual([0, 1, 2]);
  });

  it('gives up at the deadline and rethrows the last failure, the last wait cut to fit', async () => {
    jest.spyOn(Math, 'random').mockReturnValue(0.999999); // every uncut wait is 200 ms
    const failures = Array.from({ length: 1000 }, (_, i) => transient(i));
    const { fn, attempts } = failing(...failures);
    const delays: number[] = [];
    const started = Date.now();
    const err = await retry(fn, { initialMs: 200, maxMs: 200, deadlineMs: 500, onRetry: (_e, _a, d) => delays.push(d) }).catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    expect(err).toBe(failures[attempts.length - 1]);
    expect(elapsed).toBeGreaterThanOrEqual(500);
    // Far below the 1000 attempts it would take without the deadline.
    expect(elapsed).toBeLessThan(5000);
    expect(attempts.length).toBeGreaterThanOrEqual(3);
    // 200 + 200 leaves at most 100 ms before the deadline: the last wait is cut to what is left.
    expect(delays.at(-1)).toBeLessThan(200);
    // Node may fire a timer up to 1 ms early by Date.now() (its loop clock is cached), so each
    // wait may leave up to 1 ms more than it spent; uncut, the waits would sum to 600 or more.
    expect(delays.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(500 + delays.length);
  });

  it('with deadline 0 makes one attempt only', async () => {
    const { fn, attempts } = failing(transient(1));
    await expect(retry(fn, { initialMs: 1, maxMs: 2, deadlineMs: 0 })).rejects.toThrow('broker down 1');
    expect(attempts).toEqual([0]);
  });

  it('doubles its delays up to maxMs and tells onRetry the error, attempt and delay', async () => {
    jest.spyOn(Math, 'random').mockReturnValue(0.999999);
    const failures = [1, 2, 3, 4, 5].map(transient);
    const { fn } = failing(...failures);
    const calls: Array<[unknown, number, number]> = [];
    await retry(fn, { initialMs: 1, maxMs: 8, onRetry: (e, a, d) => calls.push([e, a, d]) });
    expect(calls).toEqual([
      [failures[0], 0, 1],
      [failures[1], 1, 2],
      [failures[2], 2, 4],
      [failures[3], 3, 8],
      [failures[4], 4, 8],
    ]);
  });
});
