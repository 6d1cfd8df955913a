export { BatchConsumer } from './batchConsumer';
export { FlowChange, FlowControl } from './flowControl';
export type { FlowUpdate } from './flowControl';
export { LibrdkafkaClient } from './librdkafkaClient';
export { toSourceRecord } from './toSourceRecord';
export type { BatchConsumerEvents, BatchHandler, CommitOffset, ConsumerClient, ConsumerClientListener, PartitionOffsets, TransactionalProducer } from './types';
export { BatchTransactions } from './batchTransactions';
export type { BatchTransactionsOptions } from './batchTransactions';
