import pino from 'pino';

export type Logger = pino.Logger;

/**
 * JSON logs to stdout; one line per event so `docker compose logs` and jq both work. The
 * environment is not read here: services set LOG_LEVEL once their settings are validated.
 */
export function createLogger(service: string, level = 'info'): Logger {
  return pino({ name: service, level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime });
}
