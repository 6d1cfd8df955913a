import { kafkaSecurity } from '../../pipeline/config';
import { selectProcessing } from '../../pipeline/chains/processing';
import { ensureKafkaAccess, kafkaClients, runService, type ServiceDefinition } from '../../pipeline/service';
import { processorSettings } from './options';
import { Processor } from './processor';
import { profileTableTopic, startProfileJoin } from './profileJoin';

export const processorService: ServiceDefinition<typeof processorSettings> = {
  name: 'consumer-processor',
  settings: processorSettings,
  async setup(s, { logger, registry, fail, steps }) {
    const chains = selectProcessing(s.CHAINS, s.STREAMDEX_NAMESPACE);
    const health = `${s.STREAMDEX_NAMESPACE}${s.HEALTH_TOPIC}`;
    const table = profileTableTopic(chains);
    await ensureKafkaAccess(
      s,
      'processor',
      { read: [...chains.flatMap((c) => c.topics.inputs), ...(table ? [table] : [])], write: [...new Set([...chains.flatMap((c) => [c.topics.output, c.topics.deadLetter]), health])] },
      logger,
    );
    // Before the group consumer exists: no login is taken before the table is whole.
    const join = await startProfileJoin(chains, { brokers: s.KAFKA_BROKERS, clientId: s.KAFKA_CLIENT_ID, librdkafka: kafkaSecurity(s) }, logger, registry);
    const group = { groupId: s.PROCESSOR_GROUP_ID, batchSize: s.PROCESSOR_BATCH_SIZE, maxInFlight: s.PROCESSOR_MAX_IN_FLIGHT };
    const topics = chains.flatMap((c) => c.topics.inputs);
    const { producer, consumer, sender, transactionalId, healthProducer } = kafkaClients(s, { role: 'processor', topics, lingerMs: s.PROCESSOR_LINGER_MS, ...group });
    const processor = new Processor({
      consumer,
      producer: sender,
      chains,
      logger,
      registry,
      context: {
        ipMode: s.IP_MODE,
        ipHashSecret: s.IP_HASH_SECRET,
        currentAppVersion: s.CURRENT_APP_VERSION,
        maxEventAgeMs: s.MAX_EVENT_AGE_DAYS * 86_400_000,
        maxFutureSkewMs: s.MAX_FUTURE_SKEW_SECONDS * 1000,
        profiles: join?.table,
      },
      maxRecordBytes: s.MAX_RECORD_BYTES,
      filters: s.FILTER_RULES,
      onFatal: fail,
    });
    return {
      producer,
      healthProducer,
      consumer,
      handle: processor.handle,
      started: {
        chains: chains.map((c) => c.name),
        topics: chains.flatMap((c) => c.topics.inputs),
        ipMode: s.IP_MODE,
        profileJoin: join !== undefined,
        guarantee: s.PROCESSING_GUARANTEE,
        ...(transactionalId ? { transactionalId } : {}),
      },
      // Stop fetching, let the producer deliver what is in flight (acks arrive), commit what
      // is finished, then leave.
      close: [
        { name: 'consumer.stop', run: () => consumer.stop() },
        { name: 'producer.flush', run: () => producer.flush(30_000) },
        { name: 'consumer.close', run: () => consumer.close() },
        { name: 'producer.close', run: () => producer.close() },
        { name: 'profile table', run: () => join?.tail.close() },
        steps.loop,
        steps.server,
      ],
    };
  },
};

if (require.main === module) void runService(processorService);
