import { kafkaSecurity, type KafkaSecuritySettings } from '../config';
import { BatchConsumer, KafkaProducer } from '../kafka';

export interface KafkaClientSettings extends KafkaSecuritySettings {
  readonly KAFKA_BROKERS: readonly string[];
  readonly KAFKA_CLIENT_ID: string;
  readonly STREAMDEX_NAMESPACE: string;
}

export interface KafkaClientsOptions {
  /** Suffix of the client id, e.g. "processor": tells the services apart in broker logs. */
  readonly role: string;
  /** Consumer group, before the namespace prefix. */
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly batchSize: number;
  readonly maxInFlight: number;
  readonly lingerMs?: number;
}

/** The producer and group consumer of a consuming service, named and namespaced alike. */
export function kafkaClients(s: KafkaClientSettings, o: KafkaClientsOptions): { producer: KafkaProducer; consumer: BatchConsumer } {
  const client = { brokers: s.KAFKA_BROKERS, clientId: `${s.KAFKA_CLIENT_ID}-${o.role}`, librdkafka: kafkaSecurity(s) };
  return {
    producer: new KafkaProducer(o.lingerMs === undefined ? client : { ...client, lingerMs: o.lingerMs }),
    consumer: new BatchConsumer({
      ...client,
      groupId: `${s.STREAMDEX_NAMESPACE}${o.groupId}`,
      topics: o.topics,
      batchSize: o.batchSize,
      maxInFlight: o.maxInFlight,
    }),
  };
}
