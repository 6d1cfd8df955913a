import pino from 'pino';

export type Logger = pino.Logger;

const SECRET_KEYS = ['sasl.password', 'password', 'KAFKA_SASL_PASSWORD', 'OPENSEARCH_PASSWORD', 'IP_HASH_SECRET', 'authorization'];
const REDACTED = SECRET_KEYS.flatMap((k) => [`["${k}"]`, `*["${k}"]`, `*.*["${k}"]`]);

export interface LoggedError {
  readonly message: string;
  readonly atMs: number;
}

const LAST_ERROR = Symbol('streamdex.lastError');
type Holder = { [LAST_ERROR]?: { current?: LoggedError } };

/**
 * JSON logs to stdout; one line per event so `docker compose logs` and jq both work. The
 * environment is not read here: services set LOG_LEVEL once their settings are validated.
 * The last error or fatal line is kept (lastLoggedError), for the health sample.
 */
export function createLogger(service: string, level = 'info', destination?: pino.DestinationStream): Logger {
  const holder: { current?: LoggedError } = {};
  const options: pino.LoggerOptions = {
    name: service,
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    // A logged client config or error object must never carry a credential.
    redact: { paths: REDACTED, censor: '[redacted]' },
    hooks: {
      logMethod(args, method, lvl) {
        if (lvl >= 50) holder.current = { message: errorText(args).slice(0, 1000), atMs: Date.now() };
        return method.apply(this, args);
      },
    },
  };
  const logger = destination ? pino(options, destination) : pino(options);
  (logger as unknown as Holder)[LAST_ERROR] = holder;
  return logger;
}

/** The last line logged at error or fatal by this logger or its children, if any. */
export function lastLoggedError(logger: Logger): LoggedError | undefined {
  return (logger as unknown as Holder)[LAST_ERROR]?.current;
}

function errorText(args: readonly unknown[]): string {
  const [first, second] = args;
  const msg = typeof first === 'string' ? first : typeof second === 'string' ? second : '';
  const err = first && typeof first === 'object' ? ((first as { err?: unknown }).err ?? (first instanceof Error ? first : undefined)) : undefined;
  const detail = err instanceof Error ? err.message : typeof err === 'string' ? err : '';
  return [msg, detail].filter(Boolean).join(': ') || 'error';
}
