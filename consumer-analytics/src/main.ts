import { streamSpecs } from '../../pipeline/analytics';
import { ALERTS_TOPIC, selectAnalytics } from '../../pipeline/chains/analytics';
import { ensureKafkaAccess, kafkaClients, runService, type ServiceDefinition } from '../../pipeline/service';
import { Analytics, type AnalyticsStream } from './analytics';
import { analyticsSettings } from './options';

/**
 * On revocation and close, the longest wait for windows already written to be confirmed.
 * Records of open windows stay in flight until their window closes, which needs more input:
 * the drain ends as soon as nothing written is unconfirmed (`drained`), and the next owner
 * rebuilds the open windows from the commit.
 */
const DRAIN_MS = 3_000;

export const analyticsService: ServiceDefinition<typeof analyticsSettings> = {
  name: 'consumer-analytics',
  settings: analyticsSettings,
  async setup(s, { logger, registry, fail, steps }) {
    const ns = s.STREAMDEX_NAMESPACE;
    const chains = selectAnalytics(s.CHAINS, ns);
    const windows = {
      aggregateSizesMs: s.ANALYTICS_WINDOWS.map((x) => x * 1000),
      allowedLatenessMs: s.ANALYTICS_ALLOWED_LATENESS_SECONDS * 1000,
      recordLatenessMs: s.ANALYTICS_RECORD_LATENESS_SECONDS * 1000,
      settings: s,
    };
    const streams: AnalyticsStream[] = chains.map((c) => {
      const { events, deadLetters } = streamSpecs(c.name, c.analytics, windows);
      const stream = { topic: c.topics.output, spec: events, aggregatesTopic: c.analytics.aggregatesTopic, eventTimeField: c.analytics.eventTimeField };
      return deadLetters.rules.length > 0 ? { ...stream, deadLetterTopic: c.topics.deadLetter, shareSpec: deadLetters } : stream;
    });
    const topics = streams.flatMap((x) => (x.deadLetterTopic ? [x.topic, x.deadLetterTopic] : [x.topic]));
    const writes = [...new Set([...streams.map((x) => x.aggregatesTopic), ns + ALERTS_TOPIC, `${ns}${s.HEALTH_TOPIC}`])];
    await ensureKafkaAccess(s, 'analytics', { read: topics, write: writes }, logger);
    let analytics: Analytics | undefined;
    // Under exactly_once the offsets in each transaction carry the same checkpoint metadata
    // and follow the same rule (below the first record of an open window) as the commits.
    const { producer, consumer, sender, transactionalId, healthProducer } = kafkaClients(s, {
      role: 'analytics',
      groupId: s.ANALYTICS_GROUP_ID,
      topics,
      batchSize: s.ANALYTICS_BATCH_SIZE,
      maxInFlight: s.ANALYTICS_MAX_IN_FLIGHT,
      drainTimeoutMs: DRAIN_MS,
      drained: () => analytics?.settled() ?? true,
      commitMetadata: (topic, partition, offset) => analytics?.commitMetadata(topic, partition, offset),
    });
    analytics = new Analytics({ consumer, producer: sender, streams, alertsTopic: ns + ALERTS_TOPIC, logger, registry, onFatal: fail, maxHeld: s.ANALYTICS_MAX_IN_FLIGHT });
    const a = analytics;
    consumer.on('revoked', (partitions) => a.forget(partitions));
    // An aborted transaction took back what its windows wrote: rebuild them from the commit.
    consumer.on('rewound', (partitions) => a.forget(partitions));
    return {
      producer,
      healthProducer,
      consumer,
      handle: a.handle,
      started: {
        chains: chains.map((c) => c.name),
        topics,
        windows: s.ANALYTICS_WINDOWS,
        allowedLatenessSeconds: s.ANALYTICS_ALLOWED_LATENESS_SECONDS,
        guarantee: s.PROCESSING_GUARANTEE,
        ...(transactionalId ? { transactionalId } : {}),
      },
      // Written windows get their confirmations (and so their records' acks) before the final commit.
      close: [
        { name: 'consumer.stop', run: () => consumer.stop() },
        { name: 'producer.flush', run: () => producer.flush(30_000) },
        { name: 'consumer.close', run: () => consumer.close() },
        { name: 'producer.close', run: () => producer.close() },
        steps.loop,
        steps.server,
      ],
    };
  },
};

if (require.main === module) void runService(analyticsService);
