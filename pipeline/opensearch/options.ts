export interface OpenSearchConnection {
  readonly url: string;
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  /** PEM CA bundle for https clusters with a private CA. */
  readonly caFile?: string | undefined;
  /** Accept any certificate (demo certificates only). Default false. */
  readonly insecure?: boolean;
  /** Per-request timeout. Default 30000 ms. */
  readonly requestTimeoutMs?: number;
}

export interface BulkIndexerOptions {
  /** Send a bulk request once this many documents are buffered. Default 1000. */
  readonly maxDocs?: number;
  /** ...or once the request body would reach this many bytes. Default 5 MiB. */
  readonly maxBytes?: number;
  /** ...or when the oldest buffered document waited this long. Default 250 ms. */
  readonly flushIntervalMs?: number;
  /** Bulk requests in flight at once. Default 2. */
  readonly concurrency?: number;
  /** First retry delay for 429/5xx/unreachable; doubles up to maxBackoffMs, equal jitter. Default 200 ms. */
  readonly initialBackoffMs?: number;
  /** Default 30000 ms. */
  readonly maxBackoffMs?: number;
}
