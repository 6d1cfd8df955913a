import { kafkaSecurity } from '../../pipeline/config';
import { streamSpecs } from '../../pipeline/analytics';
import { ALERTS_TOPIC, selectAnalytics } from '../../pipeline/chains/analytics';
import { BatchConsumer, KafkaProducer } from '../../pipeline/kafka';
import { runService, type ServiceDefinition } from '../../pipeline/service';
import { Analytics, type AnalyticsStream } from './analytics';
import { analyticsSettings } from './options';

/**
 * On revocation and close, how long to wait for in-flight records: only long enough for
 * windows already written to be confirmed. Records of open windows stay in flight until
 * their window closes, which needs more input; the next owner rebuilds those windows from
 * the commit instead.
 */
const DRAIN_MS = 3_000;

export const analyticsService: ServiceDefinition<typeof analyticsSettings> = {
  name: 'consumer-analytics',
  settings: analyticsSettings,
  setup(s, { logger, registry, fail, steps }) {
    const ns = s.STREAMDEX_NAMESPACE;
    const chains = selectAnalytics(s.CHAINS, ns);
    const windows = { aggregateSizesMs: s.ANALYTICS_WINDOWS.map((x) => x * 1000), allowedLatenessMs: s.ANALYTICS_ALLOWED_LATENESS_SECONDS * 1000, settings: s };
    const streams: AnalyticsStream[] = chains.flatMap((c) => {
      const { events, deadLetters } = streamSpecs(c.name, c.analytics, windows);
      const aggregatesTopic = c.analytics.aggregatesTopic;
      const out: AnalyticsStream[] = [{ topic: c.topics.output, spec: events, aggregatesTopic, eventTimeField: c.analytics.eventTimeField }];
      if (deadLetters.rules.length > 0) out.push({ topic: c.topics.deadLetter, spec: deadLetters, aggregatesTopic });
      return out;
    });
    const client = { brokers: s.KAFKA_BROKERS, clientId: `${s.KAFKA_CLIENT_ID}-analytics`, librdkafka: kafkaSecurity(s) };
    const producer = new KafkaProducer(client);
    let analytics: Analytics | undefined;
    const consumer = new BatchConsumer({
      ...client,
      groupId: `${ns}${s.ANALYTICS_GROUP_ID}`,
      topics: streams.map((x) => x.topic),
      batchSize: s.ANALYTICS_BATCH_SIZE,
      maxInFlight: s.ANALYTICS_MAX_IN_FLIGHT,
      drainTimeoutMs: DRAIN_MS,
      commitMetadata: (topic, partition, offset) => analytics?.commitMetadata(topic, partition, offset),
    });
    analytics = new Analytics({ consumer, producer, streams, alertsTopic: ns + ALERTS_TOPIC, logger, registry, onFatal: fail, maxHeld: s.ANALYTICS_MAX_IN_FLIGHT });
    const a = analytics;
    consumer.on('revoked', (partitions) => a.forget(partitions));
    return {
      producer,
      consumer,
      handle: a.handle,
      started: { chains: chains.map((c) => c.name), topics: streams.map((x) => x.topic), windows: s.ANALYTICS_WINDOWS, allowedLatenessSeconds: s.ANALYTICS_ALLOWED_LATENESS_SECONDS },
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
