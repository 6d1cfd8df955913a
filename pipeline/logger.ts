import pino from 'pino';

export type Logger = pino.Logger;

const SECRET_KEYS = ['sasl.password', 'password', 'KAFKA_SASL_PASSWORD', 'OPENSEARCH_PASSWORD', 'IP_HASH_SECRET', 'authorization'];
const REDACTED = SECRET_KEYS.flatMap((k) => [`["${k}"]`, `*["${k}"]`, `*.*["${k}"]`]);

/**
 * JSON logs to stdout; one line per event so `docker compose logs` and jq both work. The
 * environment is not read here: services set LOG_LEVEL once their settings are validated.
 */
export function createLogger(service: string, level = 'info', destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    name: service,
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    // A logged client config or error object must never carry a credential.
    redact: { paths: REDACTED, censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
