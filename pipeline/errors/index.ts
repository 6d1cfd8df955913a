export { AccessError, ClosedError, ConfigError, ErrorCode, KafkaError, OpenSearchAccessError, OpenSearchError, StreamdexError, TransactionError, errorMessage, kindOf } from './classes';
export type { ClassifiedErrorOptions, ErrorKind, StreamdexErrorOptions, TransactionErrorOptions } from './classes';
export { KAFKA_ERROR_KINDS, isLibrdKafkaError, kafkaError, kafkaErrorKind, transactionError } from './kafka';
export { isOpenSearchClientError, openSearchError, openSearchErrorKind, openSearchStatusKind } from './opensearch';
export { isRetryable } from './isRetryable';
