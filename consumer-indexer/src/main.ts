import { deadLetterIndexWithNamespace } from '../../pipeline/chains/deadLetterIndex';
import { selectAnalyticsIndexing } from '../../pipeline/chains/analyticsIndexing';
import { selectIndexing } from '../../pipeline/chains/indexing';
import { ensureHealthTemplate, healthIndex, pruneHealthIndices } from '../../pipeline/health';
import { errorMessage } from '../../pipeline/errors';
import { openSearchLogin } from '../../pipeline/config';
import { BulkIndexer, checkOpenSearchAccess, createOpenSearchClient, deniedAtStart, ensureIndex } from '../../pipeline/opensearch';
import { retry } from '../../pipeline/retry';
import { ensureKafkaAccess, kafkaClients, runService, type ServiceDefinition } from '../../pipeline/service';
import { Indexer } from './indexer';
import { indexerSettings } from './options';

export const indexerService: ServiceDefinition<typeof indexerSettings> = {
  name: 'consumer-indexer',
  settings: indexerSettings,
  async setup(s, { logger, registry, fail, steps }) {
    if (s.OPENSEARCH_TLS_INSECURE) logger.warn('OPENSEARCH_TLS_INSECURE=true: certificates are not checked (demo certificates only)');
    const chains = [
      ...selectIndexing(s.CHAINS, s.STREAMDEX_NAMESPACE),
      ...(s.ANALYTICS ? selectAnalyticsIndexing(s.CHAINS, s.STREAMDEX_NAMESPACE) : []),
    ];
    const deadLetterIndex = deadLetterIndexWithNamespace(s.STREAMDEX_NAMESPACE);
    const health = { topic: `${s.STREAMDEX_NAMESPACE}${s.HEALTH_TOPIC}`, index: healthIndex(s.STREAMDEX_NAMESPACE) };
    const reads = [...new Set([...chains.flatMap((c) => [c.topics.output, c.topics.deadLetter]), health.topic])];
    // Documents OpenSearch refuses for good go to their chain's dead-letter topic.
    await ensureKafkaAccess(s, 'indexer', { read: reads, write: [...new Set([...chains.map((c) => c.topics.deadLetter), health.topic])] }, logger);
    const login = openSearchLogin(s);
    const os = createOpenSearchClient(login);

    // Templates before the first write, so no document is ever indexed with guessed types.
    // OpenSearch may still be starting (compose, restarts): wait for it rather than exit; a
    // refused login or an untrusted certificate stops the indexer at once, naming the setting.
    await retry(
      async () => {
        await checkOpenSearchAccess(os, login);
        try {
          for (const index of [...chains.map((c) => c.index), deadLetterIndex]) await ensureIndex(os, index, { refreshInterval: s.INDEX_REFRESH_INTERVAL });
          await ensureHealthTemplate(os, health.index);
        } catch (err) {
          throw deniedAtStart(err, login);
        }
      },
      {
        initialMs: 500,
        maxMs: 10_000,
        onRetry: (err, _attempt, delay) => logger.warn({ err: errorMessage(err), delay }, 'OpenSearch not ready, retrying index setup'),
      },
    );

    const group = { groupId: s.INDEXER_GROUP_ID, batchSize: s.INDEXER_BATCH_SIZE, maxInFlight: s.INDEXER_MAX_IN_FLIGHT };
    const { producer, consumer } = kafkaClients(s, { role: 'indexer', topics: reads, ...group });
    const indexer = new Indexer({
      consumer,
      producer,
      chains,
      deadLetters: { alias: deadLetterIndex.alias, brokers: s.KAFKA_BROKERS.join(',') },
      health,
      logger,
      registry,
      bulk: (callbacks) =>
        new BulkIndexer(os, callbacks, {
          maxDocs: s.BULK_MAX_DOCS,
          maxBytes: s.BULK_MAX_BYTES,
          flushIntervalMs: s.BULK_FLUSH_MS,
          concurrency: s.BULK_CONCURRENCY,
        }),
      onFatal: fail,
    });
    // Health retention: whole day indices older than HEALTH_RETENTION_DAYS go, at start and hourly.
    const prune = () =>
      pruneHealthIndices(os, health.index, s.HEALTH_RETENTION_DAYS, Date.now()).then(
        (deleted) => deleted.length > 0 && logger.info({ deleted }, 'old health indices deleted'),
        (err: unknown) => logger.warn({ err: errorMessage(err) }, 'could not prune health indices'),
      );
    void prune();
    const pruneTimer = setInterval(() => void prune(), 3_600_000);
    pruneTimer.unref();
    return {
      producer,
      consumer,
      handle: indexer.handle,
      started: { chains: chains.map((c) => c.name), indices: [...chains.map((c) => c.index.alias), deadLetterIndex.alias, `${health.index.prefix}-*`] },
      close: [
        { name: 'health prune timer', run: () => clearInterval(pruneTimer) },
        { name: 'consumer.stop', run: () => consumer.stop() },
        { name: 'bulk.close', run: () => indexer.bulk.close(20_000) },
        { name: 'producer.flush', run: () => producer.flush(10_000) },
        { name: 'consumer.close', run: () => consumer.close() },
        { name: 'producer.close', run: () => producer.close() },
        steps.loop,
        { name: 'opensearch.close', run: () => os.close() },
        steps.server,
        { name: 'bulk totals', run: () => logger.info({ stats: indexer.bulk.stats }, 'bulk totals') },
      ],
    };
  },
};

if (require.main === module) void runService(indexerService);
