import { loadConfig } from '../../pipeline/config';
import { selectProcessing } from '../../pipeline/chains/processing';
import { BatchConsumer, KafkaProducer, logConsumerEvents } from '../../pipeline/kafka';
import { createLogger } from '../../pipeline/logger';
import { runMain, settle, type Service } from '../../pipeline/lifecycle';
import { createMetricsRegistry, startMetricsServer } from '../../pipeline/metrics';
import { processorSettings } from './options';
import { Processor } from './processor';

const logger = createLogger('consumer-processor');

export async function startProcessor(env: NodeJS.ProcessEnv = process.env): Promise<Service> {
  const s = loadConfig(processorSettings, env);
  logger.level = s.LOG_LEVEL;
  const chains = selectProcessing(s.CHAINS, s.STREAMDEX_NAMESPACE);
  const client = { brokers: s.KAFKA_BROKERS, clientId: `${s.KAFKA_CLIENT_ID}-processor` };
  const producer = new KafkaProducer({ ...client, lingerMs: s.PROCESSOR_LINGER_MS });
  const consumer = new BatchConsumer({
    ...client,
    groupId: `${s.STREAMDEX_NAMESPACE}${s.PROCESSOR_GROUP_ID}`,
    topics: chains.flatMap((c) => c.topics.inputs),
    batchSize: s.PROCESSOR_BATCH_SIZE,
    maxInFlight: s.PROCESSOR_MAX_IN_FLIGHT,
  });
  const registry = createMetricsRegistry('consumer-processor');
  const processor = new Processor({
    consumer,
    producer,
    chains,
    logger,
    registry,
    context: {
      ipMode: s.IP_MODE,
      ipHashSecret: s.IP_HASH_SECRET,
      currentAppVersion: s.CURRENT_APP_VERSION,
      maxEventAgeMs: s.MAX_EVENT_AGE_DAYS * 86_400_000,
      maxFutureSkewMs: s.MAX_FUTURE_SKEW_SECONDS * 1000,
    },
    maxRecordBytes: s.MAX_RECORD_BYTES,
    filters: s.FILTER_RULES,
  });
  logConsumerEvents(consumer, logger);

  await producer.connect();
  await consumer.connect();
  let running = true;
  const server = await startMetricsServer(registry, s.METRICS_PORT, { healthy: () => running });
  const loop = consumer.start(processor.handle).catch((err: unknown) => {
    logger.fatal({ err }, 'processing loop failed');
    running = false;
    process.exitCode = 1;
    void close().then(() => process.exit(1));
  });
  logger.info({ chains: chains.map((c) => c.name), topics: chains.flatMap((c) => c.topics.inputs), ipMode: s.IP_MODE }, 'processor started');

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      running = false;
      // Order matters: stop fetching, let the producer deliver what is in flight (acks
      // arrive), commit what is finished, then leave. Each step runs even if one fails.
      await settle(logger, consumer.stop());
      await settle(logger, producer.flush(30_000));
      await settle(logger, consumer.close());
      await settle(logger, producer.close());
      await settle(logger, loop);
      server?.close();
    })());
  return { close };
}

if (require.main === module) runMain(logger, () => startProcessor());
