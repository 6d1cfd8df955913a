import { ErrorCode, isRetryable, StreamdexError } from '../errors';
import { backoffDelay } from '../retry';
import type { DeliveryCallback, OutgoingRecord } from './producer';

/** The part of KafkaProducer a sink uses, so tests can hand in a fake. */
export interface RecordSender {
  sendWithCallback(record: OutgoingRecord, cb: DeliveryCallback): void;
}

export interface KafkaSinkOptions<Ref> {
  readonly producer: RecordSender;
  /** The broker acknowledged the record sent for `ref`. Called once per send. */
  readonly onAcked: (ref: Ref) => void;
  /**
   * Delivery failed for good (isRetryable says no); `onAcked` is never called for it. A
   * permission the principal lost is not such a failure (see `failed`).
   */
  readonly onFailed: (record: OutgoingRecord, err: Error, ref: Ref) => void;
  /** A retryable failure; the record goes again after `delayMs`. */
  readonly onRetry?: (record: OutgoingRecord, err: Error, attempt: number, delayMs: number) => void;
  /** Backoff of the first retry; doubles per attempt up to `maxMs`. Default 200 ms. */
  readonly initialMs?: number;
  /** Default 30 s. */
  readonly maxMs?: number;
  /** Jitter source of backoffDelay; tests pin it. */
  readonly random?: () => number;
  /**
   * Attempts after which a retryable failure counts as final (onFailed). Default unbounded:
   * outputs whose source offsets wait for them must not give up. Only for best-effort
   * records (health samples), which must not pile up while the broker is away.
   */
  readonly maxAttempts?: number;
}

/**
 * "Send, retry what is retryable, then acknowledge" for every Kafka output. A retried record
 * goes behind records sent after it, as any re-send does; nothing is lost, because the
 * caller acknowledges its source (and so lets its offset be committed) only in `onAcked`.
 */
export class KafkaSink<Ref> {
  private readonly initialMs: number;
  private readonly maxMs: number;
  private outstanding = 0;

  constructor(private readonly options: KafkaSinkOptions<Ref>) {
    this.initialMs = options.initialMs ?? 200;
    this.maxMs = options.maxMs ?? 30_000;
  }

  /** Records sent and not yet acknowledged or failed for good (a retry waiting counts). */
  get pending(): number {
    return this.outstanding;
  }

  send(record: OutgoingRecord, ref: Ref): void {
    this.outstanding++;
    this.attempt(record, ref, 0);
  }

  private attempt(record: OutgoingRecord, ref: Ref, attempt: number): void {
    try {
      this.options.producer.sendWithCallback(record, (err) => {
        if (err) this.failed(record, ref, attempt, err);
        else {
          this.outstanding--;
          this.options.onAcked(ref);
        }
      });
    } catch (err) {
      // A full local queue is absorbed by the producer; what is thrown is ClosedError or a
      // record librdkafka refuses outright (too large), both final.
      this.failed(record, ref, attempt, err instanceof Error ? err : new Error(String(err)));
    }
  }

  private failed(record: OutgoingRecord, ref: Ref, attempt: number, err: Error): void {
    // A refused ACL or login is no fault of the record: it is retried (and reported through
    // onRetry) until an operator restores the permission, so valid records are not
    // dead-lettered and their offsets stay uncommitted meanwhile.
    const lostPermission = err instanceof StreamdexError && err.code === ErrorCode.KAFKA_UNAUTHORIZED;
    if ((!isRetryable(err) && !lostPermission) || attempt + 1 >= (this.options.maxAttempts ?? Infinity)) {
      this.outstanding--;
      return this.options.onFailed(record, err, ref);
    }
    const delay = backoffDelay(attempt, this.initialMs, this.maxMs, this.options.random);
    this.options.onRetry?.(record, err, attempt, delay);
    setTimeout(() => this.attempt(record, ref, attempt + 1), delay);
  }
}
