import { hostname } from 'node:os';
import { kafkaSecurity, ProcessingGuarantee, type KafkaSecuritySettings } from '../config';
import { BatchConsumer, KafkaProducer, type ConsumerOptions, type RecordSender } from '../kafka';

export interface KafkaClientSettings extends KafkaSecuritySettings {
  readonly KAFKA_BROKERS: readonly string[];
  readonly KAFKA_CLIENT_ID: string;
  readonly STREAMDEX_NAMESPACE: string;
  readonly PROCESSING_GUARANTEE?: ProcessingGuarantee;
  readonly TRANSACTIONAL_ID?: string | undefined;
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
  readonly drainTimeoutMs?: number;
  readonly commitMetadata?: ConsumerOptions['commitMetadata'];
  readonly drained?: ConsumerOptions['drained'];
}

export interface KafkaClients {
  readonly producer: KafkaProducer;
  readonly consumer: BatchConsumer;
  /** Where the handler's sinks send: inside the batch's transaction under exactly_once. */
  readonly sender: RecordSender;
  /** The transactional id under exactly_once. */
  readonly transactionalId: string | undefined;
  /**
   * Under exactly_once, a plain producer for the health samples: a transactional producer
   * refuses records sent outside a transaction, and samples belong to no batch.
   */
  readonly healthProducer: KafkaProducer | undefined;
}

/** The producer and group consumer of a consuming service, named and namespaced alike. */
export function kafkaClients(s: KafkaClientSettings, o: KafkaClientsOptions): KafkaClients {
  const client = { brokers: s.KAFKA_BROKERS, clientId: `${s.KAFKA_CLIENT_ID}-${o.role}`, librdkafka: kafkaSecurity(s) };
  const groupId = `${s.STREAMDEX_NAMESPACE}${o.groupId}`;
  const transactionalId = s.PROCESSING_GUARANTEE === ProcessingGuarantee.EXACTLY_ONCE ? (s.TRANSACTIONAL_ID ?? defaultTransactionalId(groupId)) : undefined;
  const producer = new KafkaProducer({
    ...client,
    ...(o.lingerMs === undefined ? {} : { lingerMs: o.lingerMs }),
    ...(transactionalId === undefined ? {} : { transactionalId }),
  });
  const consumer = new BatchConsumer({
    ...client,
    groupId,
    topics: o.topics,
    batchSize: o.batchSize,
    maxInFlight: o.maxInFlight,
    ...(o.drainTimeoutMs === undefined ? {} : { drainTimeoutMs: o.drainTimeoutMs }),
    ...(o.commitMetadata === undefined ? {} : { commitMetadata: o.commitMetadata }),
    ...(o.drained === undefined ? {} : { drained: o.drained }),
    ...(transactionalId === undefined ? {} : { transactional: producer }),
  });
  const healthProducer = transactionalId === undefined ? undefined : new KafkaProducer({ ...client, clientId: `${client.clientId}-health` });
  return { producer, consumer, sender: consumer.sender ?? producer, transactionalId, healthProducer };
}

/**
 * One transactional id per running instance, not per input partition: the offsets travel in
 * the transaction with the group's generation (KIP-447), so the group coordinator itself
 * refuses a zombie's offsets after a rebalance. Host and pid keep two instances on one host
 * apart (two with one id would fence each other on every start); in a container the pid is
 * always 1, so a restarted container keeps its id and aborts what it left open at once.
 */
export function defaultTransactionalId(groupId: string): string {
  return `${groupId}-${hostname()}-${process.pid}`.replace(/[^A-Za-z0-9._-]/g, '_');
}
