import type { Logger } from './logger';
import { ConfigError, errorMessage } from './errors';

export interface Service {
  close(): Promise<void>;
}

/**
 * Runs a service's main: SIGINT/SIGTERM close it cleanly (commit what is finished, flush,
 * leave the group); a second signal exits at once. Bad configuration exits with code 2
 * and a message naming the setting; anything else that escapes exits 1.
 */
export function runMain(logger: Logger, start: () => Promise<Service>): void {
  let service: Service | undefined;
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal, exiting now');
      process.exit(130);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    (service ? service.close() : Promise.resolve()).then(
      () => {
        logger.info('stopped cleanly');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  start().then(
    (s) => {
      service = s;
      if (stopping) void s.close().then(() => process.exit(0));
    },
    (err: unknown) => {
      if (err instanceof ConfigError) {
        // Plain text on stderr as well: this is what an operator reads first.
        process.stderr.write(`configuration error: ${err.message}\n`);
        logger.fatal({ setting: err.setting }, err.message);
        process.exit(2);
      }
      logger.fatal({ err }, `failed to start: ${errorMessage(err)}`);
      process.exit(1);
    },
  );
}

/** Awaits one shutdown step and logs its failure instead of skipping the steps after it. */
export async function settle(logger: Logger, step: Promise<unknown>): Promise<void> {
  try {
    await step;
  } catch (err) {
    logger.warn({ err }, 'shutdown step failed');
  }
}
