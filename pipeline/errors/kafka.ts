import { CODES, type LibrdKafkaError } from '@confluentinc/kafka-javascript';
import { ErrorCode, KafkaError, StreamdexError, TransactionError, kindOf, type ErrorKind } from './classes';

type LibrdKafkaCodeName = keyof typeof CODES.ERRORS;

const UNAVAILABLE = kindOf(ErrorCode.KAFKA_UNAVAILABLE);
const TIMED_OUT = kindOf(ErrorCode.TIMEOUT);
const QUEUE_FULL = kindOf(ErrorCode.KAFKA_QUEUE_FULL);
const REJECTED = kindOf(ErrorCode.KAFKA_REJECTED);
const UNAUTHORIZED = kindOf(ErrorCode.KAFKA_UNAUTHORIZED);
const UNKNOWN_TOPIC = kindOf(ErrorCode.KAFKA_UNKNOWN_TOPIC);
const FATAL = kindOf(ErrorCode.KAFKA_FATAL);
const CLOSED_HANDLE = kindOf(ErrorCode.CLOSED);
/** librdkafka codes not named below: librdkafka already retried what it could itself. */
const UNNAMED: ErrorKind = { code: ErrorCode.KAFKA, retryable: true };
/** A plain Error from the JS wrapper ("Producer not connected", bad argument types): misuse. */
const NOT_FROM_LIBRDKAFKA: ErrorKind = { code: ErrorCode.KAFKA, retryable: false };

/**
 * librdkafka error codes, by their `CODES.ERRORS` name, as error kinds. Signals that are
 * not failures (partition EOF, assign/revoke, no offset to commit) are left out.
 */
export const KAFKA_ERROR_KINDS: Readonly<Partial<Record<LibrdKafkaCodeName, ErrorKind>>> = {
  // No broker, or not the right one, to take it now: brokers restart, leadership moves,
  // replicas catch up. librdkafka reconnects and refreshes metadata by itself.
  ERR__TRANSPORT: UNAVAILABLE,
  ERR__ALL_BROKERS_DOWN: UNAVAILABLE,
  ERR__RESOLVE: UNAVAILABLE,
  ERR__WAIT_COORD: UNAVAILABLE,
  ERR__ISR_INSUFF: UNAVAILABLE,
  ERR_LEADER_NOT_AVAILABLE: UNAVAILABLE,
  ERR_NOT_LEADER_FOR_PARTITION: UNAVAILABLE,
  ERR_BROKER_NOT_AVAILABLE: UNAVAILABLE,
  ERR_REPLICA_NOT_AVAILABLE: UNAVAILABLE,
  ERR_NETWORK_EXCEPTION: UNAVAILABLE,
  ERR_NOT_ENOUGH_REPLICAS: UNAVAILABLE,
  ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND: UNAVAILABLE,
  ERR_COORDINATOR_LOAD_IN_PROGRESS: UNAVAILABLE,
  ERR_COORDINATOR_NOT_AVAILABLE: UNAVAILABLE,
  ERR_NOT_COORDINATOR: UNAVAILABLE,
  ERR_NOT_CONTROLLER: UNAVAILABLE,
  ERR_KAFKA_STORAGE_ERROR: UNAVAILABLE,
  ERR_FENCED_LEADER_EPOCH: UNAVAILABLE,
  ERR_UNKNOWN_LEADER_EPOCH: UNAVAILABLE,
  ERR_REBALANCE_IN_PROGRESS: UNAVAILABLE,
  ERR_THROTTLING_QUOTA_EXCEEDED: UNAVAILABLE,
  ERR_REBOOTSTRAP_REQUIRED: UNAVAILABLE,
  // From a broker this means its metadata lags (a topic just created is not on every
  // broker yet); a topic that really is missing ends as ERR__UNKNOWN_TOPIC below.
  ERR_UNKNOWN_TOPIC_OR_PART: UNAVAILABLE,
  // A cluster still starting has fewer registered brokers than the factor asks for;
  // create-topics waits for it (bounded by ADMIN_WAIT_SECONDS).
  ERR_INVALID_REPLICATION_FACTOR: UNAVAILABLE,

  // The same causes, seen from a clock.
  ERR__TIMED_OUT: TIMED_OUT,
  ERR__MSG_TIMED_OUT: TIMED_OUT,
  ERR__TIMED_OUT_QUEUE: TIMED_OUT,
  ERR_REQUEST_TIMED_OUT: TIMED_OUT,

  // librdkafka's local queue is full: we produce faster than the broker takes, and space
  // frees as deliveries complete.
  ERR__QUEUE_FULL: QUEUE_FULL,

  // The record or request itself is refused: the same bytes get the same answer.
  ERR_MSG_SIZE_TOO_LARGE: REJECTED,
  ERR_INVALID_MSG_SIZE: REJECTED,
  ERR_RECORD_LIST_TOO_LARGE: REJECTED,
  ERR_INVALID_MSG: REJECTED,
  ERR_INVALID_RECORD: REJECTED,
  ERR_INVALID_TIMESTAMP: REJECTED,
  ERR_INVALID_REQUIRED_ACKS: REJECTED,
  ERR_INVALID_PARTITIONS: REJECTED,
  ERR_INVALID_REPLICA_ASSIGNMENT: REJECTED,
  ERR_INVALID_CONFIG: REJECTED,
  ERR_INVALID_REQUEST: REJECTED,
  ERR_POLICY_VIOLATION: REJECTED,
  ERR_TOPIC_EXCEPTION: REJECTED,
  ERR_UNSUPPORTED_COMPRESSION_TYPE: REJECTED,
  ERR_UNSUPPORTED_FOR_MESSAGE_FORMAT: REJECTED,
  ERR__BAD_MSG: REJECTED,
  ERR__BAD_COMPRESSION: REJECTED,
  ERR__INVALID_ARG: REJECTED,
  ERR__UNKNOWN_PARTITION: REJECTED,

  // Credentials or ACLs: a deployment problem that no retry fixes.
  ERR_TOPIC_AUTHORIZATION_FAILED: UNAUTHORIZED,
  ERR_GROUP_AUTHORIZATION_FAILED: UNAUTHORIZED,
  ERR_CLUSTER_AUTHORIZATION_FAILED: UNAUTHORIZED,
  ERR_TRANSACTIONAL_ID_AUTHORIZATION_FAILED: UNAUTHORIZED,
  ERR_SASL_AUTHENTICATION_FAILED: UNAUTHORIZED,
  ERR_UNSUPPORTED_SASL_MECHANISM: UNAUTHORIZED,
  ERR_ILLEGAL_SASL_STATE: UNAUTHORIZED,
  ERR__AUTHENTICATION: UNAUTHORIZED,
  ERR__SSL: UNAUTHORIZED,

  // librdkafka says this after waiting topic.metadata.propagation.max.ms for the topic to
  // show up. Brokers run with auto-create off (topics come from `admin create-topics`), so
  // waiting longer does not create it.
  ERR__UNKNOWN_TOPIC: UNKNOWN_TOPIC,

  // The idempotent producer's guarantees are broken or it was fenced by a newer instance:
  // librdkafka refuses further sends from this instance.
  ERR__FATAL: FATAL,
  ERR__FENCED: FATAL,
  ERR__GAPLESS_GUARANTEE: FATAL,
  ERR__INCONSISTENT: FATAL,
  ERR__CRIT_SYS_RESOURCE: FATAL,
  ERR_INVALID_PRODUCER_EPOCH: FATAL,
  ERR_PRODUCER_FENCED: FATAL,
  ERR_OUT_OF_ORDER_SEQUENCE_NUMBER: FATAL,
  ERR_TRANSACTION_COORDINATOR_FENCED: FATAL,

  // The handle is going away (disconnect, destroy, purge on close).
  ERR__DESTROY: CLOSED_HANDLE,
  ERR__DESTROY_BROKER: CLOSED_HANDLE,
  ERR__STATE: CLOSED_HANDLE,
  ERR__PURGE_QUEUE: CLOSED_HANDLE,
  ERR__PURGE_INFLIGHT: CLOSED_HANDLE,
};

const BY_NUMBER = new Map<number, ErrorKind>(
  Object.entries(KAFKA_ERROR_KINDS).map(([name, kind]) => [CODES.ERRORS[name as LibrdKafkaCodeName], kind]),
);

/**
 * An error librdkafka reported: its `code` is one of `CODES.ERRORS` (Node's system errors
 * have string codes). Not always an Error instance: some callbacks pass the binding's plain object.
 */
export function isLibrdKafkaError(err: unknown): err is LibrdKafkaError {
  return typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'number';
}

/**
 * The kind of a Kafka failure. librdkafka's `isFatal` flag wins over the table (the
 * instance is unusable whatever the code); its `isRetriable` flag is only set by the
 * rd_kafka_error_t APIs (transactions), never on delivery reports, so a missing or false
 * flag says nothing and is not read.
 */
export function kafkaErrorKind(err: unknown): ErrorKind {
  if (err instanceof StreamdexError) return { code: err.code, retryable: err.retryable };
  if (!isLibrdKafkaError(err)) return NOT_FROM_LIBRDKAFKA;
  if (err.isFatal === true) return FATAL;
  return BY_NUMBER.get(err.code) ?? UNNAMED;
}

/** A KafkaError whose code and `retryable` come from the table. */
export function kafkaError(message: string, cause: unknown): KafkaError {
  return new KafkaError(message, { ...kafkaErrorKind(cause), cause });
}

/**
 * A TransactionError from a failed transaction call: librdkafka's rd_kafka_error_t flags
 * (fatal, retriable, txn_requires_abort) decide, the table only names the code.
 */
export function transactionError(message: string, cause: unknown): TransactionError {
  const flags = (isLibrdKafkaError(cause) ? cause : {}) as { isFatal?: boolean; isRetriable?: boolean; isTxnRequiresAbort?: boolean };
  const kind = kafkaErrorKind(cause);
  const fatal = flags.isFatal === true || kind.code === ErrorCode.KAFKA_FATAL;
  return new TransactionError(message, {
    code: fatal ? ErrorCode.KAFKA_FATAL : kind.code,
    retryable: !fatal && flags.isRetriable === true,
    requiresAbort: !fatal && flags.isTxnRequiresAbort === true,
    cause,
  });
}
