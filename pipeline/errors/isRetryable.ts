import { StreamdexError } from './classes';
import { isLibrdKafkaError, kafkaErrorKind } from './kafka';
import { isOpenSearchClientError, openSearchErrorKind } from './opensearch';

/**
 * The one question every retry loop asks. Anything neither ours nor from one of the two
 * clients is a bug or a misuse, which waiting does not heal.
 */
export function isRetryable(err: unknown): boolean {
  if (err instanceof StreamdexError) return err.retryable;
  if (isOpenSearchClientError(err)) return openSearchErrorKind(err).retryable;
  if (isLibrdKafkaError(err)) return kafkaErrorKind(err).retryable;
  return false;
}
