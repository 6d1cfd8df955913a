import type { Server } from 'node:http';
import { loadConfig } from '../config';
import { errorMessage } from '../errors';
import { logConsumerEvents } from '../kafka';
import type { Logger } from '../logger';
import { HealthReporter } from '../health';
import { createMetricsRegistry, startMetricsServer } from '../metrics';
import { closeInOrder } from './closeInOrder';
import type { BootstrapSettings, Service, ServiceDefinition, ServiceSchema } from './types';

export interface StartOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly logger: Logger;
  /** Called after a fatal failure has closed the service. */
  readonly exit: (code: number) => void;
}

/**
 * Settings (a ConfigError before anything starts), the service's own setup, then producer,
 * consumer, metrics server and the consumer loop. A loop failure, or a `fail` from the
 * service, logs fatal, closes in the service's order and exits 1.
 */
export async function startService<S extends ServiceSchema>(def: ServiceDefinition<S>, options: StartOptions): Promise<Service> {
  const { logger, exit } = options;
  const settings = loadConfig(def.settings, options.env);
  // The generic S hides what ServiceSchema guarantees every service schema has.
  const own = settings as BootstrapSettings;
  // Only now: an invalid LOG_LEVEL must surface as the ConfigError above, naming it.
  logger.level = own.LOG_LEVEL;
  const registry = createMetricsRegistry(def.name);

  let running = true;
  let loop: Promise<void> | undefined;
  let server: Server | undefined;
  let close: (() => Promise<void>) | undefined;
  const fail = (err: unknown, message = errorMessage(err)) => {
    logger.fatal({ err }, message);
    running = false;
    process.exitCode = 1;
    void (close ? close() : Promise.resolve()).then(() => exit(1));
  };
  const wiring = await def.setup(settings, {
    logger,
    registry,
    fail,
    steps: {
      loop: { name: 'consumer loop', run: () => loop },
      server: { name: 'metrics server', run: () => void server?.close() },
    },
  });
  let health: HealthReporter | undefined;
  // First: no sample may be sent into a producer that is flushing or closed.
  const closeAll = closeInOrder(logger, [
    { name: 'health.stop', run: () => health?.stop() },
    ...(wiring.healthProducer ? [{ name: 'health producer.close', run: () => wiring.healthProducer!.close() }] : []),
    ...wiring.close,
  ]);
  close = () => {
    running = false;
    return closeAll();
  };
  logConsumerEvents(wiring.consumer, logger);

  await wiring.producer.connect();
  await wiring.healthProducer?.connect();
  await wiring.consumer.connect();
  server = await startMetricsServer(registry, own.METRICS_PORT, { healthy: () => running });
  loop = wiring.consumer.start(wiring.handle).catch((err: unknown) => fail(err, 'consumer loop failed'));
  const carrier = wiring.healthProducer ?? wiring.producer;
  const { sendWithCallback } = carrier;
  if (own.HEALTH_INTERVAL_MS > 0 && sendWithCallback) {
    health = new HealthReporter({
      service: def.name,
      topic: `${own.STREAMDEX_NAMESPACE}${own.HEALTH_TOPIC}`,
      intervalMs: own.HEALTH_INTERVAL_MS,
      registry,
      producer: { sendWithCallback: sendWithCallback.bind(carrier) },
      logger,
      consumer: wiring.consumer,
    });
    health.start();
  }
  logger.info(wiring.started, `${def.name} started`);
  return { close };
}
