import { selectAnalyticsIndexing } from '../../pipeline/chains/analyticsIndexing';
import { selectIndexing } from '../../pipeline/chains/indexing';
import { errorMessage } from '../../pipeline/errors';
import { BulkIndexer, createOpenSearchClient, ensureIndex } from '../../pipeline/opensearch';
import { retry } from '../../pipeline/retry';
import { kafkaClients, runService, type ServiceDefinition } from '../../pipeline/service';
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
    const os = createOpenSearchClient({
      url: s.OPENSEARCH_URL,
      username: s.OPENSEARCH_USERNAME,
      password: s.OPENSEARCH_PASSWORD,
      caFile: s.OPENSEARCH_CA_FILE,
      insecure: s.OPENSEARCH_TLS_INSECURE,
    });

    // Templates before the first write, so no document is ever indexed with guessed types.
    // OpenSearch may still be starting (compose, restarts): wait for it rather than exit.
    await retry(
      async () => {
        for (const chain of chains) await ensureIndex(os, chain.index, { refreshInterval: s.INDEX_REFRESH_INTERVAL });
      },
      {
        initialMs: 500,
        maxMs: 10_000,
        onRetry: (err, _attempt, delay) => logger.warn({ err: errorMessage(err), delay }, 'OpenSearch not ready, retrying index setup'),
      },
    );

    const group = { groupId: s.INDEXER_GROUP_ID, batchSize: s.INDEXER_BATCH_SIZE, maxInFlight: s.INDEXER_MAX_IN_FLIGHT };
    const { producer, consumer } = kafkaClients(s, { role: 'indexer', topics: chains.map((c) => c.topics.output), ...group });
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
      onFatal: fail,
    });
    return {
      producer,
      consumer,
      handle: indexer.handle,
      started: { chains: chains.map((c) => c.name), indices: chains.map((c) => c.index.alias) },
      close: [
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
