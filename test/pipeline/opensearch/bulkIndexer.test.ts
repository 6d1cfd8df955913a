import { errors, type Client } from '@opensearch-project/opensearch';
import { ErrorCode, OpenSearchError } from '../../../pipeline/errors';
import { BulkIndexer, createOpenSearchClient } from '../../../pipeline/opensearch';

/** A client whose _bulk answers come from a function of the request's item count (an Error answer is thrown). */
function stubClient(answer: (items: number, call: number) => unknown): { client: Client; calls: number[] } {
  const calls: number[] = [];
  const client = {
    transport: {
      request: async ({ body }: { body: Buffer }) => {
        const items = body.toString().trim().split('\n').length / 2;
        calls.push(items);
        const a = answer(items, calls.length);
        if (a instanceof Error) throw a;
        return { body: a };
      },
    },
  } as unknown as Client;
  return { client, calls };
}

const responseError = (status: number, type: string) => new errors.ResponseError({ body: { error: { type }, status }, statusCode: status, headers: {}, meta: {} as never, warnings: null });
const allOk = (items: number) => ({ errors: false, items: Array.from({ length: items }, () => ({ index: { status: 201 } })) });

interface Seen {
  indexed: string[];
  rejected: string[];
  retries: string[];
  failures: OpenSearchError[];
}

function recording(client: Client): { bulk: BulkIndexer<string>; seen: Seen } {
  const seen: Seen = { indexed: [], rejected: [], retries: [], failures: [] };
  const bulk = new BulkIndexer<string>(
    client,
    {
      onIndexed: (r) => seen.indexed.push(...r),
      onRejected: (r) => seen.rejected.push(r),
      onRetry: (_n, _d, cause) => seen.retries.push(cause),
      onFailed: (err) => seen.failures.push(err),
    },
    { initialBackoffMs: 1, maxBackoffMs: 2 },
  );
  return { bulk, seen };
}

const item = (id: string) => ({ index: 'i', id, source: Buffer.from('{}'), ref: id });
const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('BulkIndexer (no server)', () => {
  it('leaves no timer behind after a close that finished at once', async () => {
    const { client } = stubClient(() => ({ errors: false }));
    const bulk = new BulkIndexer<string>(client, { onIndexed: () => undefined, onRejected: () => undefined });
    bulk.add(item('a'));
    const before = timers();
    await bulk.close(60_000);
    // A still-pending 60 s deadline would keep a service alive for a minute after shutdown.
    expect(timers()).toBeLessThan(before);
  });

  it('retries only the items that got 429 or 5xx and reports the 4xx ones as rejected', async () => {
    const { client, calls } = stubClient((items, call) =>
      call === 1
        ? {
            errors: true,
            items: [
              { index: { status: 201 } },
              { index: { status: 429, error: { type: 'es_rejected_execution_exception' } } },
              { index: { status: 400, error: { type: 'mapper_parsing_exception', reason: 'failed to parse field [n] of type [long]' } } },
              { index: { status: 503, error: { type: 'unavailable_shards_exception' } } },
            ],
          }
        : { errors: false, items: Array.from({ length: items }, () => ({ index: { status: 200 } })) },
    );
    const indexed: string[] = [];
    const rejected: Array<[string, unknown]> = [];
    const retries: number[] = [];
    const bulk = new BulkIndexer<string>(
      client,
      { onIndexed: (r) => indexed.push(...r), onRejected: (r, why) => rejected.push([r, why]), onRetry: (n) => retries.push(n) },
      { initialBackoffMs: 1, maxBackoffMs: 2 },
    );
    ['a', 'b', 'c', 'd'].forEach((id) => bulk.add(item(id)));
    await bulk.close();
    expect(calls).toEqual([4, 2]);
    expect(retries).toEqual([2]);
    expect(indexed.sort()).toEqual(['a', 'b', 'd']);
    expect(rejected).toEqual([['c', { status: 400, type: 'mapper_parsing_exception', reason: 'failed to parse field [n] of type [long]', field: 'n' }]]);
    expect(bulk.stats).toMatchObject({ total: 4, indexed: 3, failed: 1, retried: 2, requests: 2 });
  });

  it('waits out a blocked index (403 write block, 429 flood-stage block) instead of dead-lettering its documents', async () => {
    const blocked = (status: number, reason: string) => ({ index: { status, error: { type: 'cluster_block_exception', reason } } });
    const { client, calls } = stubClient((items, call) =>
      call <= 2
        ? { errors: true, items: [blocked(403, 'index [i] blocked by: [FORBIDDEN/8/index write (api)];'), blocked(429, 'index [i] blocked by: [TOO_MANY_REQUESTS/12/disk usage exceeded flood-stage watermark, index has read-only-allow-delete block];')] }
        : allOk(items),
    );
    const { bulk, seen } = recording(client);
    ['a', 'b'].forEach((id) => bulk.add(item(id)));
    await bulk.close();
    expect(calls).toEqual([2, 2, 2]);
    expect(seen.rejected).toEqual([]);
    expect(seen.retries).toEqual(['403 cluster_block_exception', '403 cluster_block_exception']);
    expect(seen.indexed.sort()).toEqual(['a', 'b']);
    expect(seen.failures).toEqual([]);
  });

  it.each([
    ['a 403 cluster block', responseError(403, 'cluster_block_exception'), '403'],
    ['a 503', responseError(503, 'cluster_manager_not_discovered_exception'), 'cluster_manager_not_discovered_exception'],
    ['a 429', responseError(429, 'es_rejected_execution_exception'), 'es_rejected_execution_exception'],
    ['a connection error', new errors.ConnectionError('connect ECONNREFUSED 127.0.0.1:9200'), 'ECONNREFUSED'],
  ])('retries a whole request that failed with %s, then indexes', async (_what, failure, cause) => {
    const { client, calls } = stubClient((items, call) => (call < 3 ? failure : allOk(items)));
    const { bulk, seen } = recording(client);
    ['a', 'b'].forEach((id) => bulk.add(item(id)));
    await bulk.close();
    expect(calls).toEqual([2, 2, 2]);
    expect(seen.retries).toHaveLength(2);
    expect(seen.retries.every((c) => c.includes(cause))).toBe(true);
    expect(seen.indexed).toEqual(['a', 'b']);
    expect(seen.failures).toEqual([]);
  });

  it('stops for good on a whole request refused as unauthorized: no retry, nothing acknowledged or rejected', async () => {
    const { client, calls } = stubClient(() => responseError(401, 'security_exception'));
    const { bulk, seen } = recording(client);
    ['a', 'b', 'c'].forEach((id) => bulk.add(item(id)));
    const closed = await bulk.close().catch((e: unknown) => e);
    expect(calls).toEqual([3]);
    expect(seen.retries).toEqual([]);
    expect(seen.indexed).toEqual([]);
    expect(seen.rejected).toEqual([]);
    expect(seen.failures).toHaveLength(1);
    const failure = seen.failures[0]!;
    expect(failure).toBeInstanceOf(OpenSearchError);
    expect(failure).toMatchObject({ code: ErrorCode.OPENSEARCH_UNAUTHORIZED, retryable: false });
    expect(failure.message).toContain('security_exception');
    expect(closed).toBe(failure);
    expect(bulk.stats).toMatchObject({ total: 3, indexed: 0, failed: 0, retried: 0, requests: 1 });
    expect(bulk.pending).toBe(0);
    expect(() => bulk.add(item('d'))).toThrow(failure);
  });

  it('stops on an item refused for a permission instead of dead-lettering it, acknowledging only what was stored', async () => {
    const denied = { status: 403, error: { type: 'security_exception', reason: 'no permissions for [indices:data/write/bulk[s]] and User [name=indexer]' } };
    const { client, calls } = stubClient(() => ({ errors: true, items: [{ index: { status: 201 } }, { index: denied }, { index: { status: 429, error: { type: 'es_rejected_execution_exception' } } }] }));
    const { bulk, seen } = recording(client);
    ['a', 'b', 'c'].forEach((id) => bulk.add(item(id)));
    await expect(bulk.flush()).rejects.toMatchObject({ code: ErrorCode.OPENSEARCH_UNAUTHORIZED, retryable: false });
    expect(calls).toEqual([3]);
    expect(seen.indexed).toEqual(['a']);
    expect(seen.rejected).toEqual([]);
    expect(seen.retries).toEqual([]);
    expect(seen.failures[0]!.message).toBe('bulk item refused for good (403 security_exception): no permissions for [indices:data/write/bulk[s]] and User [name=indexer]');
  });

  it('once failed, sends nothing more: add() and every flush() throw the failure', async () => {
    const { client, calls } = stubClient((items, call) => (call === 1 ? responseError(403, 'security_exception') : allOk(items)));
    const { bulk, seen } = recording(client);
    bulk.add(item('a'));
    await expect(bulk.flush()).rejects.toMatchObject({ code: ErrorCode.OPENSEARCH_UNAUTHORIZED });
    expect(() => bulk.add(item('b'))).toThrow(seen.failures[0]!);
    await expect(bulk.flush()).rejects.toBe(seen.failures[0]);
    expect(calls).toEqual([1]);
    expect(seen.failures).toHaveLength(1);
  });

  it('stops, rather than retrying forever, when its client was closed underneath it', async () => {
    const client = createOpenSearchClient({ url: 'http://127.0.0.1:1' });
    await client.close();
    const { bulk, seen } = recording(client);
    bulk.add(item('a'));
    await expect(bulk.close()).rejects.toMatchObject({ code: ErrorCode.CLOSED, retryable: false });
    expect(seen.retries).toEqual([]);
    expect(seen.indexed).toEqual([]);
    expect(seen.rejected).toEqual([]);
  });

  it('close() returns the same promise on every call, and flushes once', async () => {
    let answer: (() => void) | undefined;
    const calls: number[] = [];
    const client = {
      transport: {
        request: ({ body }: { body: Buffer }) => {
          calls.push(body.toString().trim().split('\n').length / 2);
          return new Promise((resolve) => (answer = () => resolve({ body: { errors: false } })));
        },
      },
    } as unknown as Client;
    const { bulk, seen } = recording(client);
    bulk.add(item('a'));
    const first = bulk.close();
    const second = bulk.close(1);
    expect(second).toBe(first);
    await new Promise((r) => setImmediate(r));
    answer!();
    await first;
    expect(bulk.close()).toBe(first);
    expect(calls).toEqual([1]);
    expect(seen.indexed).toEqual(['a']);
  });
});
