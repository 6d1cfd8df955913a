import { loadConfig } from '../../pipeline/config';
import { selectIndexing } from '../../pipeline/chains/indexing';
import { BatchConsumer, KafkaProducer, logConsumerEvents } from '../../pipeline/kafka';
import { createLogger } from '../../pipeline/logger';
import { runMain, settle, type Service } from '../../pipeline/lifecycle';
import { createMetricsRegistry, startMetricsServer } from '../../pipeline/metrics';
import { BulkIndexer, createOpenSearchClient, ensureIndex } from '../../pipeline/opensearch';
import { backoffDelay, sleep } from '../../pipeline/retry';
import { errorMessage } from '../../pipeline/errors';
import { Indexer } from './indexer';
import { indexerSettings } from './options';

const logger = createLogger('consumer-indexer');

export async function startIndexer(env: NodeJS.ProcessEnv = process.env): Promise<Service> {
  const s = loadConfig(indexerSettings, env);
  logger.level = s.LOG_LEVEL;
  if (s.OPENSEARCH_TLS_INSECURE) logger.warn('OPENSEARCH_TLS_INSECURE=true: certificates are not checked (demo certificates only)');
  const chains = selectIndexing(s.CHAINS, s.STREAMDEX_NAMESPACE);
  const os = createOpenSearchClient({
    url: s.OPENSEARCH_URL,
    username: s.OPENSEARCH_USERNAME,
    password: s.OPENSEARCH_PASSWORD,
    caFile: s.OPENSEARCH_CA_FILE,
    insecure: s.OPENSEARCH_TLS_INSECURE,
  });

  // Templates before the first write, so no document is ever indexed with guessed types.
  // OpenSearch may still be starting (compose, restarts): wait for it rather than exit.
  for (let attempt = 0; ; attempt++) {
    try {
      for (const chain of chains) await ensureIndex(os, chain.index, { refreshInterval: s.INDEX_REFRESH_INTERVAL });
      break;
    } catch (err) {
      const delay = backoffDelay(attempt, 500, 10_000);
      logger.warn({ err: errorMessage(err), delay }, 'OpenSearch not ready, retrying index setup');
      await sleep(delay);
    }
  }

  const client = { brokers: s.KAFKA_BROKERS, clientId: `${s.KAFKA_CLIENT_ID}-indexer` };
  const producer = new KafkaProducer(client);
  const consumer = new BatchConsumer({
    ...client,
    groupId: `${s.STREAMDEX_NAMESPACE}${s.INDEXER_GROUP_ID}`,
    topics: chains.map((c) => c.topics.output),
    batchSize: s.INDEXER_BATCH_SIZE,
    maxInFlight: s.INDEXER_MAX_IN_FLIGHT,
  });
  const registry = createMetricsRegistry('consumer-indexer');
  const indexer = new Indexer({
    consumer,
    producer,
    chains,
    logger,
    registry,
    bulk: (callbacks) =>
      new BulkIndexer(os, callbacks, {
        maxDocs: s.BULK_MAX_DOCS,
        maxBytes: s.BULK_MAX_BYTES,
        flushIntervalMs: s.BULK_FLUSH_MS,
        concurrency: s.BULK_CONCURRENCY,
      }),
  });
  logConsumerEvents(consumer, logger);

  await producer.connect();
  await consumer.connect();
  let running = true;
  const server = await startMetricsServer(registry, s.METRICS_PORT, { healthy: () => running });
  const loop = consumer.start(indexer.handle).catch((err: unknown) => {
    logger.fatal({ err }, 'indexing loop failed');
    running = false;
    void close().then(() => process.exit(1));
  });
  logger.info({ chains: chains.map((c) => c.name), indices: chains.map((c) => c.index.alias) }, 'indexer started');

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      running = false;
      await settle(logger, consumer.stop());
      await settle(logger, indexer.bulk.close(20_000));
      await settle(logger, producer.flush(10_000));
      await settle(logger, consumer.close());
      await settle(logger, producer.close());
      await settle(logger, loop);
      await settle(logger, os.close());
      server?.close();
      logger.info({ stats: indexer.bulk.stats }, 'bulk totals');
    })());
  return { close };
}

if (require.main === module) runMain(logger, () => startIndexer());
