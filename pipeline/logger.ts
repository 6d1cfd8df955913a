import pino from 'pino';

export type Logger = pino.Logger;

/** JSON logs to stdout; one line per event so `docker compose logs` and jq both work. */
export function createLogger(service: string, level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name: service, level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime });
}
