import { Registry } from 'prom-client';
import { Indexer } from '../../consumer-indexer/src/indexer';
import { loginIndexing } from '../../pipeline/chains/login/indexing';
import { EVENT_ID_HEADER, type SourceRecord } from '../../pipeline/core';
import { sampleHealth, type CounterTotals, type HealthRecord, type MetricJson } from '../../pipeline/health';
import { createLogger, lastLoggedError } from '../../pipeline/logger';
import { recordOutcomes } from '../../pipeline/metrics';
import type { BulkCallbacks } from '../../pipeline/opensearch';
import { FakeConsumer, FakeProducer } from '../helpers/fakeKafka';

/**
 * Health records as services write them, for the health dashboard's panel checks: the
 * indexer's own metrics code (the Indexer, its bulk callbacks driven as OpenSearch would:
 * documents indexed, a 429 retry, a rejection dead-lettered), the record counters of the
 * processor and producer, each sampled by the real sampleHealth every 5 s over `samples`.
 */
export async function healthSamples(startMs: number, samples: number): Promise<HealthRecord[]> {
  const logger = createLogger('consumer-indexer', 'error');
  const indexerRegistry = new Registry();
  let callbacks!: BulkCallbacks<SourceRecord>;
  const indexer = new Indexer({
    consumer: new FakeConsumer(),
    producer: new FakeProducer(),
    chains: [loginIndexing],
    logger,
    registry: indexerRegistry,
    bulk: (cb) => {
      callbacks = cb;
      return { add: () => undefined, close: () => Promise.resolve(), pending: 0, stats: { total: 0, indexed: 0, failed: 0, retried: 0, requests: 0, ms: 0 } };
    },
    onFatal: () => undefined,
  });
  const processorRegistry = new Registry();
  const processed = recordOutcomes(processorRegistry, 'processor', 'h');
  const producerRegistry = new Registry();
  const produced = recordOutcomes(producerRegistry, 'producer', 'h');
  const services = [
    { service: 'consumer-indexer', registry: indexerRegistry, totals: new Map() as CounterTotals, group: 'streamdex-indexer', topic: loginIndexing.topics.output },
    { service: 'consumer-processor', registry: processorRegistry, totals: new Map() as CounterTotals, group: 'streamdex-processor', topic: loginIndexing.topics.inputs[0]! },
    { service: 'producer', registry: producerRegistry, totals: new Map() as CounterTotals },
  ];
  logger.error({ err: new Error('connect ECONNREFUSED 127.0.0.1:9200') }, 'bulk request failed');

  const out: HealthRecord[] = [];
  let offset = 0;
  for (let n = 0; n < samples; n++) {
    const record = (): SourceRecord => ({ topic: loginIndexing.topics.output, partition: 0, offset: offset++, key: null, value: Buffer.from('{}'), headers: [{ key: EVENT_ID_HEADER, value: Buffer.from(`e${offset}`) }] });
    const batch = Array.from({ length: 20 + n }, record);
    indexer.handle(batch);
    callbacks.onRequest!(batch.length, 30 + n);
    callbacks.onIndexed(batch.slice(1));
    callbacks.onRejected(batch[0]!, { status: 400, type: 'mapper_parsing_exception', reason: 'failed to parse', field: 'geo.location' });
    if (n % 3 === 0) callbacks.onRetry!(5, 200, '429 es_rejected_execution_exception');
    processed.inc({ chain: 'login', outcome: 'processed', code: '' }, 25 + n);
    processed.inc({ chain: 'login', outcome: 'dead_letter', code: 'schema_violation' }, 1);
    produced.inc({ chain: 'login', outcome: 'valid', code: '' }, 25 + n);
    const nowMs = startMs + (n + 1) * 5000;
    for (const s of services) {
      const error = s.service === 'consumer-indexer' ? lastLoggedError(logger) : undefined;
      const { records, totals } = sampleHealth({
        service: s.service,
        instance: `host-${s.service}`,
        nowMs,
        sinceMs: nowMs - 5000,
        metrics: (await s.registry.getMetricsAsJSON()) as unknown as MetricJson[],
        previous: s.totals,
        process: {
          uptime_s: 5 * (n + 1),
          rss_bytes: process.memoryUsage().rss,
          heap_used_bytes: process.memoryUsage().heapUsed,
          heap_total_bytes: process.memoryUsage().heapTotal,
          event_loop_delay_p99_ms: 1 + n / 10,
          event_loop_delay_max_ms: 2 + n / 10,
          ...(s.service === 'producer' ? {} : { in_flight: 10 + n }),
          ...(error ? { last_error: error.message, last_error_at: new Date(error.atMs).toISOString() } : {}),
        },
        lag: s.group ? [0, 1, 2].map((partition) => ({ group: s.group!, topic: s.topic!, partition, committed_offset: 100 * n, high_watermark: 100 * n + 10 * (partition + 1), lag: 10 * (partition + 1) })) : [],
      });
      s.totals = totals;
      out.push(...records);
    }
  }
  return out;
}
