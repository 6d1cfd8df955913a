// The errors module alone, not the package: services without OpenSearch (the processor)
// must not load the whole client (~30 MB RSS) for instanceof checks. Same file as the
// client's own, so instanceof holds.
import {
  ConnectionError,
  DeserializationError,
  NoLivingConnectionsError,
  OpenSearchClientError,
  ResponseError,
  TimeoutError,
} from '@opensearch-project/opensearch/lib/errors.js';
import { ErrorCode, OpenSearchError, StreamdexError, kindOf, type ErrorKind } from './classes';

const UNAVAILABLE = kindOf(ErrorCode.OPENSEARCH_UNAVAILABLE);
const OVERLOADED = kindOf(ErrorCode.OPENSEARCH_OVERLOADED);
const REJECTED = kindOf(ErrorCode.OPENSEARCH_REJECTED);
const UNAUTHORIZED = kindOf(ErrorCode.OPENSEARCH_UNAUTHORIZED);
const CLOSED = kindOf(ErrorCode.CLOSED);

/**
 * An HTTP status, of a whole response or of one bulk item, as an error kind. 429 is
 * backpressure (queues full, circuit breakers) and 5xx a node or shard that is not there
 * right now: both pass. So does a cluster block (`type`), whatever its status (429 for the
 * flood-stage disk block, 403 for a write or read-only block): it is a state of the index
 * or cluster that is lifted again (disk freed, a resize or restore finished, an operator),
 * not a property of the document, so dead-lettering would throw away good documents.
 * Other 401/403 are credentials or permissions; 400 (mapping, parse), 404 (unknown index
 * with auto-create off), 409 and 413 are about the request itself.
 */
export function openSearchStatusKind(status: number, type?: string): ErrorKind {
  if (type === 'cluster_block_exception') return UNAVAILABLE;
  if (status === 429) return OVERLOADED;
  if (status >= 500) return UNAVAILABLE;
  if (status === 401 || status === 403) return UNAUTHORIZED;
  return REJECTED;
}

export function isOpenSearchClientError(err: unknown): boolean {
  return err instanceof OpenSearchClientError;
}

/**
 * The kind of a failed request. Connection errors and timeouts are a cluster that is
 * down, restarting or slow; a response that does not deserialize came from something in
 * between (a proxy's error page), and resending a bulk is safe (documents have ids).
 * NoLivingConnectionsError is not an outage: the connection pool hands out dead
 * connections when none is alive, so this error means the pool holds none at all, which
 * is what `client.close()` leaves.
 */
export function openSearchErrorKind(err: unknown): ErrorKind {
  if (err instanceof StreamdexError) return { code: err.code, retryable: err.retryable };
  if (err instanceof ResponseError) return openSearchStatusKind(err.statusCode, errorType(err.body));
  if (err instanceof ConnectionError || err instanceof TimeoutError || err instanceof DeserializationError) return UNAVAILABLE;
  if (err instanceof NoLivingConnectionsError) return CLOSED;
  // Aborted requests, bodies that do not serialize, bad client configuration, anything not from the client.
  return { code: ErrorCode.OPENSEARCH, retryable: false };
}

function errorType(body: unknown): string | undefined {
  const type = (body as { error?: { type?: unknown } } | null | undefined)?.error?.type;
  return typeof type === 'string' ? type : undefined;
}

/** An OpenSearchError whose code and `retryable` come from the table. */
export function openSearchError(message: string, cause: unknown): OpenSearchError {
  return new OpenSearchError(message, { ...openSearchErrorKind(cause), cause });
}
