export { KafkaProducer } from './producer';
export type { Delivery, OutgoingRecord } from './producer';
export { BatchConsumer } from './consumer';
export type { BatchHandler, BatchConsumerEvents } from './consumer';
export { KafkaAdmin } from './admin';
export type { TopicSpec } from './admin';
export { OffsetTracker } from './offsetTracker';
export { producerConfig, consumerConfig } from './options';
export type { ClientOptions, ConsumerOptions, ProducerOptions } from './options';
