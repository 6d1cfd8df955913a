/**
 * One error hierarchy for the whole pipeline. Every error carries a stable `code`
 * (for logs, metrics and dead-letter headers) and says whether retrying can help, so
 * retry loops decide between backoff and giving up without string matching. The kafka
 * and opensearch tables map the libraries' failures onto these codes.
 */
export const ErrorCode = {
  CONFIG: 'STREAMDEX_CONFIG',
  /** The handle was closed or destroyed: nothing can succeed through it again. */
  CLOSED: 'STREAMDEX_CLOSED',
  /** No answer in time; the far side may well answer later. */
  TIMEOUT: 'STREAMDEX_TIMEOUT',
  /** A Kafka failure the table does not name. */
  KAFKA: 'STREAMDEX_KAFKA',
  KAFKA_UNAVAILABLE: 'STREAMDEX_KAFKA_UNAVAILABLE',
  KAFKA_QUEUE_FULL: 'STREAMDEX_KAFKA_QUEUE_FULL',
  /** Kafka refuses this record or request itself. */
  KAFKA_REJECTED: 'STREAMDEX_KAFKA_REJECTED',
  KAFKA_UNAUTHORIZED: 'STREAMDEX_KAFKA_UNAUTHORIZED',
  KAFKA_UNKNOWN_TOPIC: 'STREAMDEX_KAFKA_UNKNOWN_TOPIC',
  /** The client instance cannot go on (fenced, sequence broken): it must be recreated. */
  KAFKA_FATAL: 'STREAMDEX_KAFKA_FATAL',
  /** An OpenSearch failure the table does not name. */
  OPENSEARCH: 'STREAMDEX_OPENSEARCH',
  OPENSEARCH_UNAVAILABLE: 'STREAMDEX_OPENSEARCH_UNAVAILABLE',
  OPENSEARCH_OVERLOADED: 'STREAMDEX_OPENSEARCH_OVERLOADED',
  /** OpenSearch refuses the request or document itself (400, 404, 413...). */
  OPENSEARCH_REJECTED: 'STREAMDEX_OPENSEARCH_REJECTED',
  OPENSEARCH_UNAUTHORIZED: 'STREAMDEX_OPENSEARCH_UNAUTHORIZED',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** What a failure is, and whether waiting and trying again can help. */
export interface ErrorKind {
  readonly code: ErrorCode;
  readonly retryable: boolean;
}

/** The codes whose failures waiting can heal: every table maps onto these the same way. */
const RETRYABLE_CODES: ReadonlySet<ErrorCode> = new Set([
  ErrorCode.TIMEOUT,
  ErrorCode.KAFKA_UNAVAILABLE,
  ErrorCode.KAFKA_QUEUE_FULL,
  ErrorCode.OPENSEARCH_UNAVAILABLE,
  ErrorCode.OPENSEARCH_OVERLOADED,
]);

export function kindOf(code: ErrorCode): ErrorKind {
  return { code, retryable: RETRYABLE_CODES.has(code) };
}

export interface StreamdexErrorOptions {
  retryable?: boolean;
  cause?: unknown;
}

/** Options of the Kafka and OpenSearch errors: a table's `ErrorKind` spreads into them. */
export interface ClassifiedErrorOptions extends StreamdexErrorOptions {
  code?: ErrorCode;
}

export class StreamdexError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options: StreamdexErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
  }
}

/** Bad configuration: the service must not start. `setting` names the variable or flag. */
export class ConfigError extends StreamdexError {
  readonly setting: string;

  constructor(setting: string, message: string) {
    super(ErrorCode.CONFIG, `${setting}: ${message}`);
    this.setting = setting;
  }
}

export class KafkaError extends StreamdexError {
  constructor(message: string, options: ClassifiedErrorOptions = {}) {
    super(options.code ?? ErrorCode.KAFKA, message, options);
  }
}

export class OpenSearchError extends StreamdexError {
  constructor(message: string, options: ClassifiedErrorOptions = {}) {
    super(options.code ?? ErrorCode.OPENSEARCH, message, options);
  }
}

/**
 * A principal whose login works but whose ACLs do not cover what the service does. The fix
 * is on the broker (kafka-acls), not in the service's settings: exit code 3, not 2.
 */
export class AccessError extends KafkaError {
  readonly missing: readonly string[];

  constructor(principal: string, missing: readonly string[]) {
    super(
      `Kafka denies ${principal} ${missing.join(', ')}: grant it (stack/bin/kafka-acls --add --allow-principal ${principal} ...; README.md#security), or start this service as the principal meant for it (KAFKA_SASL_USERNAME)`,
      { code: ErrorCode.KAFKA_UNAUTHORIZED, retryable: false },
    );
    this.missing = missing;
  }
}

/**
 * A user whose login OpenSearch accepts but whose roles do not allow what the service does
 * at start (create its indices, templates, ingest pipeline). Like AccessError, the fix is on
 * the server: exit code 3.
 */
export class OpenSearchAccessError extends OpenSearchError {
  readonly missing: readonly string[];

  constructor(user: string, missing: readonly string[], reason: string, cause?: unknown) {
    super(`OpenSearch denies user ${JSON.stringify(user)} ${missing.join(', ')} (${reason}): grant it (README.md#security), or start this service as the user meant for it (OPENSEARCH_USERNAME)`, {
      code: ErrorCode.OPENSEARCH_UNAUTHORIZED,
      retryable: false,
      cause,
    });
    this.missing = missing;
  }
}

export interface TransactionErrorOptions extends ClassifiedErrorOptions {
  /** The transaction cannot commit: abort it; the producer itself is still usable. */
  readonly requiresAbort: boolean;
}

/**
 * A failed transaction call. `retryable`: call it again; `requiresAbort`: abort and redo the
 * batch; code KAFKA_FATAL: this producer is fenced or broken and must not be used again.
 */
export class TransactionError extends KafkaError {
  readonly requiresAbort: boolean;

  constructor(message: string, options: TransactionErrorOptions) {
    super(message, options);
    this.requiresAbort = options.requiresAbort;
  }

  get fatal(): boolean {
    return this.code === ErrorCode.KAFKA_FATAL;
  }
}

/** Use of a component after its close() began. Never retryable. */
export class ClosedError extends StreamdexError {
  constructor(what: string) {
    super(ErrorCode.CLOSED, `${what} is closed`);
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
