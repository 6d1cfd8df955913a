/**
 * One error hierarchy for the whole pipeline. Every error carries a stable `code`
 * (for logs, metrics and dead-letter headers) and says whether retrying can help,
 * so callers decide between backoff and dead-lettering without string matching.
 */
export const ErrorCode = {
  CONFIG: 'STREAMDEX_CONFIG',
  KAFKA: 'STREAMDEX_KAFKA',
  OPENSEARCH: 'STREAMDEX_OPENSEARCH',
  OPENSEARCH_UNAVAILABLE: 'STREAMDEX_OPENSEARCH_UNAVAILABLE',
  CLOSED: 'STREAMDEX_CLOSED',
  TIMEOUT: 'STREAMDEX_TIMEOUT',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface StreamdexErrorOptions {
  retryable?: boolean;
  cause?: unknown;
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
  constructor(message: string, options: StreamdexErrorOptions = {}) {
    super(ErrorCode.KAFKA, message, options);
  }
}

export class OpenSearchError extends StreamdexError {
  constructor(message: string, options: StreamdexErrorOptions = {}) {
    super(ErrorCode.OPENSEARCH, message, options);
  }
}

export class ClosedError extends StreamdexError {
  constructor(what: string) {
    super(ErrorCode.CLOSED, `${what} is closed`);
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
