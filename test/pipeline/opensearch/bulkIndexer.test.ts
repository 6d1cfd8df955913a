import type { Client } from '@opensearch-project/opensearch';
import { BulkIndexer } from '../../../pipeline/opensearch';

/** A client whose _bulk answers come from a function of the request's item count. */
function stubClient(answer: (items: number, call: number) => unknown): { client: Client; calls: number[] } {
  const calls: number[] = [];
  const client = {
    transport: {
      request: async ({ body }: { body: Buffer }) => {
        const items = body.toString().trim().split('\n').length / 2;
        calls.push(items);
        return { body: answer(items, calls.length) };
      },
    },
  } as unknown as Client;
  return { client, calls };
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
});
