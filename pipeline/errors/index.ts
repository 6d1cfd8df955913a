export { ClosedError, ConfigError, ErrorCode, KafkaError, OpenSearchError, StreamdexError, errorMessage, kindOf } from './classes';
export type { ClassifiedErrorOptions, ErrorKind, StreamdexErrorOptions } from './classes';
export { KAFKA_ERROR_KINDS, isLibrdKafkaError, kafkaError, kafkaErrorKind } from './kafka';
export { isOpenSearchClientError, openSearchError, openSearchErrorKind, openSearchStatusKind } from './opensearch';
export { isRetryable } from './isRetryable';
