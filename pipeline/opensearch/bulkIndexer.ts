import type { Client } from '@opensearch-project/opensearch';
import { ClosedError, ErrorCode, errorMessage, OpenSearchError, openSearchError, openSearchErrorKind, openSearchStatusKind } from '../errors';
import { backoffDelay, sleep } from '../retry';
import { describe } from './indices';
import type { BulkIndexerOptions } from './options';

export interface BulkItem<R> {
  readonly index: string;
  readonly id: string;
  /** The document's JSON bytes, sent as they are (no parse/serialize round trip). */
  readonly source: Buffer;
  readonly ref: R;
}

export interface ItemRejection {
  readonly status: number;
  readonly type: string;
  readonly reason: string;
  /** Field named by OpenSearch's error, when it names one. */
  readonly field?: string;
}

export interface BulkCallbacks<R> {
  /** Documents OpenSearch stored (created or overwritten). */
  onIndexed(refs: R[]): void;
  /** Documents OpenSearch refused for good (mapping or parse errors): dead-letter them. */
  onRejected(ref: R, rejection: ItemRejection): void;
  /** A whole request or some items will be retried after `delayMs`. */
  onRetry?(items: number, delayMs: number, cause: string): void;
  /** The indexer stopped for good (see BulkIndexer); called once. */
  onFailed?(err: OpenSearchError): void;
  /** Every bulk request once answered or failed: its documents and how long it took. */
  onRequest?(documents: number, ms: number): void;
}

export interface BulkStats {
  total: number;
  indexed: number;
  failed: number;
  retried: number;
  requests: number;
  /** Wall time spent in bulk requests (overlapping requests count once each). */
  ms: number;
}

const ACTION_PREFIX = Buffer.from('{"index":{"_index":');
const NEWLINE = Buffer.from('\n');

/**
 * Buffers documents and writes them with `_bulk`: a request goes out when the buffer
 * reaches `maxDocs` or `maxBytes`, or `flushIntervalMs` after the first document, with at
 * most `concurrency` requests in flight. Every item's result is reported through the
 * callbacks; 429 and 5xx items (and whole requests that fail to reach the cluster) are
 * retried with backoff until they succeed or the indexer is closed.
 *
 * A whole request refused in a way no retry heals (credentials, a closed client, a body
 * refused as such: see the error table), or an item refused for a permission (401/403 that
 * is no cluster block), stops the indexer. Its documents are not
 * rejected: that would dead-letter and acknowledge a whole stream of good documents for
 * a deployment problem. They stay unacknowledged (read again after a restart), onFailed
 * hears it, and add, flush and close throw it.
 */
export class BulkIndexer<R> {
  readonly stats: BulkStats = { total: 0, indexed: 0, failed: 0, retried: 0, requests: 0, ms: 0 };
  private buffer: BulkItem<R>[] = [];
  private bufferBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private running = 0;
  private readonly slotWaiters: Array<() => void> = [];
  private readonly active = new Set<Promise<void>>();
  private inRequests = 0;
  private closed = false;
  private closing: Promise<void> | undefined;
  private aborted = false;
  private failure: OpenSearchError | undefined;
  private readonly maxDocs: number;
  private readonly maxBytes: number;
  private readonly flushIntervalMs: number;
  private readonly concurrency: number;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;

  constructor(
    private readonly client: Client,
    private readonly callbacks: BulkCallbacks<R>,
    options: BulkIndexerOptions = {},
  ) {
    this.maxDocs = options.maxDocs ?? 1000;
    this.maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
    this.flushIntervalMs = options.flushIntervalMs ?? 250;
    this.concurrency = options.concurrency ?? 2;
    this.initialBackoffMs = options.initialBackoffMs ?? 200;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
  }

  /** Documents buffered or in requests not yet answered. */
  get pending(): number {
    return this.buffer.length + this.inRequests;
  }

  add(item: BulkItem<R>): void {
    if (this.failure) throw this.failure;
    if (this.closed) throw new ClosedError('bulk indexer');
    this.buffer.push(item);
    this.bufferBytes += item.source.length + item.id.length + item.index.length + 32;
    this.stats.total++;
    if (this.buffer.length >= this.maxDocs || this.bufferBytes >= this.maxBytes) this.sendBuffer();
    else this.timer ??= setTimeout(() => this.sendBuffer(), this.flushIntervalMs);
  }

  /** Sends what is buffered and waits until every request so far has finished. */
  async flush(): Promise<void> {
    this.sendBuffer();
    while (this.active.size > 0) await Promise.all([...this.active]);
    if (this.failure) throw this.failure;
  }

  /**
   * Flushes; if that takes longer than `timeoutMs` (cluster down), stops retrying: those
   * documents are neither acknowledged nor rejected, so their offsets stay uncommitted
   * and they are read again after restart. Every call returns the first call's promise.
   */
  close(timeoutMs = 30_000): Promise<void> {
    this.closing ??= this.shutDown(timeoutMs);
    return this.closing;
  }

  private async shutDown(timeoutMs: number): Promise<void> {
    this.closed = true;
    // Cleared when the flush wins: a pending deadline would keep the process alive for
    // the whole timeout after a close that finished at once.
    let deadline: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      deadline = setTimeout(resolve, timeoutMs);
    });
    try {
      await Promise.race([this.flush(), timeout]);
    } finally {
      clearTimeout(deadline);
    }
    this.aborted = true;
    await this.flush();
  }

  private sendBuffer(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.buffer.length === 0) return;
    const items = this.buffer;
    this.buffer = [];
    this.bufferBytes = 0;
    this.inRequests += items.length;
    const p = this.send(items).finally(() => {
      this.inRequests -= items.length;
      this.active.delete(p);
    });
    this.active.add(p);
  }

  private async send(items: BulkItem<R>[]): Promise<void> {
    await this.acquire();
    try {
      let pending = items;
      for (let attempt = 0; pending.length > 0 && !this.aborted; attempt++) {
        const { retry, cause } = await this.attempt(pending);
        pending = retry;
        if (pending.length > 0 && !this.aborted) {
          const delay = backoffDelay(attempt, this.initialBackoffMs, this.maxBackoffMs);
          this.stats.retried += pending.length;
          this.callbacks.onRetry?.(pending.length, delay, cause);
          await sleep(delay);
        }
      }
    } finally {
      this.release();
    }
  }

  /** One bulk request; returns the items worth retrying. */
  private async attempt(items: BulkItem<R>[]): Promise<{ retry: BulkItem<R>[]; cause: string }> {
    const started = Date.now();
    this.stats.requests++;
    let body: BulkResponse;
    try {
      const res = await this.client.transport.request({
        method: 'POST',
        path: '/_bulk',
        querystring: { filter_path: 'errors,items.*.status,items.*.error' },
        body: buildBody(items),
      });
      body = (res as { body: BulkResponse }).body;
    } catch (err) {
      // Unreachable, timed out, 429 or 5xx for the whole request: all items retry.
      // Anything else would fail the same way every time.
      const cause = describe(err) || errorMessage(err);
      if (openSearchErrorKind(err).retryable) return { retry: items, cause };
      this.fail(openSearchError(`bulk request failed for good: ${cause}`, err));
      return { retry: [], cause };
    } finally {
      const ms = Date.now() - started;
      this.stats.ms += ms;
      this.callbacks.onRequest?.(items.length, ms);
    }

    if (!body.errors) {
      this.stats.indexed += items.length;
      this.callbacks.onIndexed(items.map((i) => i.ref));
      return { retry: [], cause: '' };
    }
    const indexed: R[] = [];
    const retry: BulkItem<R>[] = [];
    let cause = '';
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      const result = body.items[i]?.index ?? body.items[i]?.create;
      const status = result?.status ?? 500;
      const kind = openSearchStatusKind(status, result?.error?.type);
      if (status < 300) {
        indexed.push(item.ref);
      } else if (kind.retryable) {
        retry.push(item);
        cause ||= `${status} ${result?.error?.type ?? ''}`;
      } else if (kind.code === ErrorCode.OPENSEARCH_UNAUTHORIZED) {
        // A permission the user lacks is the deployment's, not the document's: stop like a
        // refused request, the documents unacknowledged, rather than dead-letter a stream.
        const refusal = rejection(status, result?.error);
        this.fail(new OpenSearchError(`bulk item refused for good (${status} ${refusal.type}): ${refusal.reason}`, { ...kind }));
      } else {
        this.stats.failed++;
        this.callbacks.onRejected(item.ref, rejection(status, result?.error));
      }
    }
    this.stats.indexed += indexed.length;
    if (indexed.length > 0) this.callbacks.onIndexed(indexed);
    return { retry, cause };
  }

  private fail(err: OpenSearchError): void {
    if (this.failure) return;
    this.failure = err;
    this.aborted = true;
    this.callbacks.onFailed?.(err);
  }

  private acquire(): Promise<void> {
    if (this.running < this.concurrency) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.slotWaiters.push(() => resolve()));
  }

  private release(): void {
    const next = this.slotWaiters.shift();
    if (next) next();
    else this.running--;
  }
}

interface BulkError {
  type?: string;
  reason?: string;
  caused_by?: { type?: string; reason?: string };
}

interface BulkResponse {
  errors: boolean;
  items: Array<{ index?: { status: number; error?: BulkError }; create?: { status: number; error?: BulkError } }>;
}

function buildBody(items: readonly BulkItem<unknown>[]): Buffer {
  const parts: Buffer[] = [];
  for (const item of items) {
    parts.push(ACTION_PREFIX, Buffer.from(`${JSON.stringify(item.index)},"_id":${JSON.stringify(item.id)}}}\n`), item.source, NEWLINE);
  }
  return Buffer.concat(parts);
}

function rejection(status: number, error: BulkError | undefined): ItemRejection {
  const reason = [error?.reason, error?.caused_by?.reason].filter(Boolean).join(': ') || 'rejected without a reason';
  const field = /field \[([^\]]+)\]|introduction of \[([^\]]+)\]/.exec(reason);
  const named = field?.[1] ?? field?.[2];
  return { status, type: error?.type ?? 'unknown', reason, ...(named ? { field: named } : {}) };
}
