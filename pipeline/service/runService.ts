import { AccessError, ConfigError, OpenSearchAccessError, errorMessage } from '../errors';
import { createLogger } from '../logger';
import { startService } from './startService';
import type { Service, ServiceDefinition, ServiceIo, ServiceSchema } from './types';

const processIo: ServiceIo = {
  env: process.env,
  exit: (code) => process.exit(code),
  onSignal: (signal, handler) => process.on(signal, handler),
  stderr: (text) => process.stderr.write(text),
};

/**
 * A service's main: SIGINT/SIGTERM close it cleanly (commit what is finished, flush, leave
 * the group); a second signal exits at once. Bad configuration exits with code 2 and a
 * message naming the setting; a principal Kafka denies a topic it needs exits 3 naming the
 * permission; anything else that escapes start-up exits 1.
 */
export function runService<S extends ServiceSchema>(def: ServiceDefinition<S>, io: ServiceIo = processIo): Promise<void> {
  const logger = createLogger(def.name);
  let service: Service | undefined;
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal, exiting now');
      return io.exit(130);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    (service ? service.close() : Promise.resolve()).then(
      () => {
        logger.info('stopped cleanly');
        io.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        io.exit(1);
      },
    );
  };
  io.onSignal('SIGINT', () => stop('SIGINT'));
  io.onSignal('SIGTERM', () => stop('SIGTERM'));
  return startService(def, { env: io.env, logger, exit: io.exit }).then(
    (s) => {
      service = s;
      if (stopping) void s.close().then(() => io.exit(0));
    },
    (err: unknown) => {
      if (err instanceof ConfigError) {
        // Plain text on stderr as well: this is what an operator reads first.
        io.stderr(`configuration error: ${err.message}\n`);
        logger.fatal({ setting: err.setting }, err.message);
        return io.exit(2);
      }
      // A permission the server has to grant (Kafka ACLs, OpenSearch roles): exit 3.
      if (err instanceof AccessError || err instanceof OpenSearchAccessError) {
        io.stderr(`access error: ${err.message}\n`);
        logger.fatal({ missing: err.missing }, err.message);
        return io.exit(3);
      }
      logger.fatal({ err }, `failed to start: ${errorMessage(err)}`);
      io.exit(1);
    },
  );
}
