import type { Counter } from 'prom-client';
import { Counter as PromCounter, Gauge, type Registry } from 'prom-client';
import { chainForInputTopic } from '../../pipeline/chains/select';
import type { ProcessingContext, ProcessingFacet } from '../../pipeline/chains/types';
import { DeadLetterCode, processRecord, toDeadLetter, type FilterRule, type SourceRecord } from '../../pipeline/core';
import type { BatchConsumer, KafkaProducer, OutgoingRecord } from '../../pipeline/kafka';
import type { Logger } from '../../pipeline/logger';
import { backoffDelay } from '../../pipeline/retry';

export interface ProcessorDeps {
  readonly consumer: BatchConsumer;
  readonly producer: KafkaProducer;
  readonly chains: readonly ProcessingFacet[];
  readonly logger: Logger;
  readonly registry: Registry;
  /** Everything of ProcessingContext except the clock, which is read per batch. */
  readonly context: Omit<ProcessingContext, 'nowMs'>;
  readonly maxRecordBytes: number;
  readonly filters: readonly FilterRule[];
}

export const EVENT_ID_HEADER = 'event-id';

/**
 * The Kafka shell around processRecord: every input record ends as exactly one output
 * record (processed, dead letter, or routed) or a counted filter drop, and its offset is
 * acknowledged only when that output is acknowledged by the broker.
 */
export class Processor {
  private readonly counts: Counter<'chain' | 'outcome' | 'code'>;
  private readonly retries: Counter;

  constructor(private readonly deps: ProcessorDeps) {
    this.counts = new PromCounter({
      name: 'streamdex_processor_records_total',
      help: 'Input records by chain and outcome (processed, dead_letter, filtered, routed)',
      labelNames: ['chain', 'outcome', 'code'],
      registers: [deps.registry],
    });
    this.retries = new PromCounter({
      name: 'streamdex_processor_delivery_retries_total',
      help: 'Outputs re-sent after a failed delivery',
      registers: [deps.registry],
    });
    new Gauge({
      name: 'streamdex_processor_in_flight',
      help: 'Records consumed and not yet acknowledged downstream',
      registers: [deps.registry],
      collect() {
        this.set(deps.consumer.tracker.inFlight);
      },
    });
  }

  readonly handle = (records: SourceRecord[]): void => {
    const { chains, context, maxRecordBytes, filters } = this.deps;
    const ctx: ProcessingContext = { ...context, nowMs: Date.now() };
    const options = { maxRecordBytes, filters };
    for (const record of records) {
      const chain = chainForInputTopic(chains, record.topic);
      if (!chain) {
        // Subscriptions come from the same chain list, so this is a wiring bug; still, never drop.
        this.deps.logger.error({ topic: record.topic }, 'record from a topic no chain claims; left unacknowledged');
        continue;
      }
      const outcome = processRecord(chain, record, ctx, options);
      switch (outcome.kind) {
        case 'ok':
          this.counts.inc({ chain: chain.name, outcome: 'processed', code: '' });
          this.deliver(
            {
              topic: chain.topics.output,
              key: outcome.key,
              value: Buffer.from(JSON.stringify(outcome.document)),
              headers: [{ key: EVENT_ID_HEADER, value: Buffer.from(outcome.id) }],
              ...(record.timestamp !== undefined ? { timestamp: record.timestamp } : {}),
            },
            record,
          );
          break;
        case 'dead': {
          this.counts.inc({ chain: chain.name, outcome: 'dead_letter', code: outcome.reason.code });
          const dl = toDeadLetter(record, outcome.reason, 'processor', chain.name, ctx.nowMs);
          this.deliver({ topic: chain.topics.deadLetter, ...dl }, record);
          break;
        }
        case 'filtered':
          if (outcome.topic) {
            this.counts.inc({ chain: chain.name, outcome: 'routed', code: outcome.rule });
            this.deliver({ topic: outcome.topic, key: record.key, value: record.value, headers: record.headers }, record);
          } else {
            this.counts.inc({ chain: chain.name, outcome: 'filtered', code: outcome.rule });
            this.deps.consumer.ack(record);
          }
          break;
      }
    }
  };

  /** Sends and acknowledges the source on delivery; a failed delivery is re-sent with backoff. */
  private deliver(out: OutgoingRecord, source: SourceRecord, attempt = 0): void {
    try {
      this.deps.producer.sendWithCallback(out, (err) => {
        if (!err) return this.deps.consumer.ack(source);
        this.retry(out, source, attempt, err.message);
      });
    } catch (err) {
      this.retry(out, source, attempt, (err as Error).message);
    }
  }

  private retry(out: OutgoingRecord, source: SourceRecord, attempt: number, message: string): void {
    const delay = backoffDelay(attempt, 200, 30_000);
    this.retries.inc();
    this.deps.logger.warn({ topic: out.topic, attempt, delay, err: message }, 'delivery failed, retrying');
    setTimeout(() => this.deliver(out, source, attempt + 1), delay);
  }
}

export { DeadLetterCode };
