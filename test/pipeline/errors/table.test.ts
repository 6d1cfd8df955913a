import { CODES } from '@confluentinc/kafka-javascript';
import { Client, errors } from '@opensearch-project/opensearch';
import {
  ClosedError,
  ConfigError,
  ErrorCode,
  KAFKA_ERROR_KINDS,
  KafkaError,
  OpenSearchError,
  isRetryable,
  kafkaError,
  kafkaErrorKind,
  openSearchError,
  openSearchErrorKind,
  openSearchStatusKind,
} from '../../../pipeline/errors';

type CodeName = keyof typeof CODES.ERRORS;

/** What librdkafka hands to callbacks: an Error carrying a numeric code (see lib/error.js). */
function librdkafkaError(name: CodeName, flags: { isFatal?: boolean } = {}): Error {
  return Object.assign(new Error(`Local: ${name}`), { code: CODES.ERRORS[name], origin: 'local', ...flags });
}

const response = (status: number) => new errors.ResponseError({ body: { error: { type: `status_${status}` }, status }, statusCode: status, headers: {}, meta: {} as never, warnings: null });

describe('the librdkafka table', () => {
  it('names only codes the library defines', () => {
    for (const name of Object.keys(KAFKA_ERROR_KINDS)) expect(typeof CODES.ERRORS[name as CodeName]).toBe('number');
  });

  it.each<[CodeName, string]>([
    ['ERR__QUEUE_FULL', ErrorCode.KAFKA_QUEUE_FULL],
    ['ERR__TRANSPORT', ErrorCode.KAFKA_UNAVAILABLE],
    ['ERR__ALL_BROKERS_DOWN', ErrorCode.KAFKA_UNAVAILABLE],
    ['ERR_NOT_LEADER_FOR_PARTITION', ErrorCode.KAFKA_UNAVAILABLE],
    ['ERR_UNKNOWN_TOPIC_OR_PART', ErrorCode.KAFKA_UNAVAILABLE],
    ['ERR_INVALID_REPLICATION_FACTOR', ErrorCode.KAFKA_UNAVAILABLE],
    ['ERR__TIMED_OUT', ErrorCode.TIMEOUT],
    ['ERR__MSG_TIMED_OUT', ErrorCode.TIMEOUT],
    ['ERR_REQUEST_TIMED_OUT', ErrorCode.TIMEOUT],
  ])('%s is retryable (%s)', (name, code) => {
    const err = librdkafkaError(name);
    expect(kafkaErrorKind(err)).toEqual({ code, retryable: true });
    expect(isRetryable(err)).toBe(true);
  });

  it.each<[CodeName, string]>([
    ['ERR_MSG_SIZE_TOO_LARGE', ErrorCode.KAFKA_REJECTED],
    ['ERR_INVALID_MSG', ErrorCode.KAFKA_REJECTED],
    ['ERR__INVALID_ARG', ErrorCode.KAFKA_REJECTED],
    ['ERR_TOPIC_AUTHORIZATION_FAILED', ErrorCode.KAFKA_UNAUTHORIZED],
    ['ERR__UNKNOWN_TOPIC', ErrorCode.KAFKA_UNKNOWN_TOPIC],
    ['ERR__FATAL', ErrorCode.KAFKA_FATAL],
    ['ERR_INVALID_PRODUCER_EPOCH', ErrorCode.KAFKA_FATAL],
    ['ERR__DESTROY', ErrorCode.CLOSED],
    ['ERR__STATE', ErrorCode.CLOSED],
  ])('%s is not retryable (%s)', (name, code) => {
    const err = librdkafkaError(name);
    expect(kafkaErrorKind(err)).toEqual({ code, retryable: false });
    expect(isRetryable(err)).toBe(false);
  });

  it("lets librdkafka's isFatal flag win over a retryable code", () => {
    expect(kafkaErrorKind(librdkafkaError('ERR__TRANSPORT', { isFatal: true }))).toEqual({ code: ErrorCode.KAFKA_FATAL, retryable: false });
  });

  it('retries a code it does not name (librdkafka retried what it could), and not a plain Error from the wrapper', () => {
    expect(kafkaErrorKind(librdkafkaError('ERR_UNKNOWN_MEMBER_ID'))).toEqual({ code: ErrorCode.KAFKA, retryable: true });
    expect(kafkaErrorKind(new Error('Producer not connected'))).toEqual({ code: ErrorCode.KAFKA, retryable: false });
  });

  it('reads the plain objects some binding callbacks pass instead of an Error', () => {
    expect(isRetryable({ message: 'Local: Broker transport failure', code: CODES.ERRORS.ERR__TRANSPORT })).toBe(true);
    expect(isRetryable({ message: 'Local: Fatal error', code: CODES.ERRORS.ERR__FATAL })).toBe(false);
  });

  it('kafkaError builds a KafkaError carrying the kind and the cause', () => {
    const cause = librdkafkaError('ERR_MSG_SIZE_TOO_LARGE');
    const err = kafkaError('delivery to t failed: too large', cause);
    expect(err).toBeInstanceOf(KafkaError);
    expect(err).toMatchObject({ code: ErrorCode.KAFKA_REJECTED, retryable: false, message: 'delivery to t failed: too large', cause });
  });
});

describe('the OpenSearch table', () => {
  it.each([429, 500, 502, 503, 504])('HTTP %i is retryable', (status) => {
    expect(openSearchStatusKind(status).retryable).toBe(true);
    expect(isRetryable(response(status))).toBe(true);
  });

  it.each<[number, string]>([
    [400, ErrorCode.OPENSEARCH_REJECTED],
    [401, ErrorCode.OPENSEARCH_UNAUTHORIZED],
    [403, ErrorCode.OPENSEARCH_UNAUTHORIZED],
    [404, ErrorCode.OPENSEARCH_REJECTED],
    [409, ErrorCode.OPENSEARCH_REJECTED],
    [413, ErrorCode.OPENSEARCH_REJECTED],
  ])('HTTP %i is not retryable (%s)', (status, code) => {
    expect(openSearchErrorKind(response(status))).toEqual({ code, retryable: false });
    expect(isRetryable(response(status))).toBe(false);
  });

  it('retries a cluster block whatever its status, and only a block among the 403s', () => {
    for (const status of [403, 429]) expect(openSearchStatusKind(status, 'cluster_block_exception')).toEqual({ code: ErrorCode.OPENSEARCH_UNAVAILABLE, retryable: true });
    expect(openSearchStatusKind(403, 'security_exception')).toEqual({ code: ErrorCode.OPENSEARCH_UNAUTHORIZED, retryable: false });
    expect(openSearchStatusKind(403)).toEqual({ code: ErrorCode.OPENSEARCH_UNAUTHORIZED, retryable: false });
  });

  it('retries connection errors, timeouts and answers that do not parse; not aborted requests or misconfiguration', () => {
    expect(isRetryable(new errors.ConnectionError('connect ECONNREFUSED'))).toBe(true);
    expect(isRetryable(new errors.TimeoutError('Request timed out', {} as never))).toBe(true);
    expect(isRetryable(new errors.DeserializationError('Unexpected token <', '<html>'))).toBe(true);
    expect(isRetryable(new errors.RequestAbortedError('aborted'))).toBe(false);
    expect(isRetryable(new errors.ConfigurationError('bad node'))).toBe(false);
  });

  it('retries a cluster nobody listens on, but not the same client once closed', async () => {
    const client = new Client({ node: 'http://127.0.0.1:1', maxRetries: 0 });
    const down = await client.transport.request({ method: 'GET', path: '/' }).catch((e: unknown) => e);
    expect(down).toBeInstanceOf(errors.ConnectionError);
    expect(isRetryable(down)).toBe(true);
    await client.close();
    const closed = await client.transport.request({ method: 'GET', path: '/' }).catch((e: unknown) => e);
    expect(openSearchErrorKind(closed)).toEqual({ code: ErrorCode.CLOSED, retryable: false });
  });

  it('openSearchError builds an OpenSearchError carrying the kind and the cause', () => {
    const cause = response(503);
    expect(openSearchError('bulk failed', cause)).toMatchObject({ constructor: OpenSearchError, code: ErrorCode.OPENSEARCH_UNAVAILABLE, retryable: true, cause });
  });
});

describe('isRetryable', () => {
  it("trusts our own errors' flag: closed and config errors are not retryable", () => {
    expect(isRetryable(new ClosedError('producer'))).toBe(false);
    expect(isRetryable(new ConfigError('X', 'bad'))).toBe(false);
    expect(isRetryable(new KafkaError('flush timed out', { code: ErrorCode.TIMEOUT, retryable: true }))).toBe(true);
  });

  it('does not retry what comes from neither client: a bug does not heal by waiting', () => {
    expect(isRetryable(new TypeError('cannot read x of undefined'))).toBe(false);
    expect(isRetryable(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(false);
    expect(isRetryable('down')).toBe(false);
    expect(isRetryable(undefined)).toBe(false);
  });
});
