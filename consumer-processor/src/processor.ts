import { Counter, Gauge, type Registry } from 'prom-client';
import { chainForInputTopic } from '../../pipeline/chains/select';
import type { ProcessingContext, ProcessingFacet } from '../../pipeline/chains/types';
import { DeadLetterCode, EVENT_ID_HEADER, processRecord, toDeadLetter, type FilterRule, type SourceRecord } from '../../pipeline/core';
import { repairedTextFields } from '../../pipeline/enrich';
import { ClosedError } from '../../pipeline/errors';
import { KafkaSink, type BatchConsumer, type OutgoingRecord, type RecordSender } from '../../pipeline/kafka';
import type { Logger } from '../../pipeline/logger';
import { countTextRepairs, recordOutcomes, textRepairs, type OutcomeLabel, type TextRepairLabel } from '../../pipeline/metrics';

export interface ProcessorDeps {
  readonly consumer: Pick<BatchConsumer, 'ack'> & { readonly tracker: Pick<BatchConsumer['tracker'], 'inFlight'> };
  readonly producer: RecordSender;
  readonly chains: readonly ProcessingFacet[];
  readonly logger: Logger;
  readonly registry: Registry;
  /** Everything of ProcessingContext except the clock, which is read per batch. */
  readonly context: Omit<ProcessingContext, 'nowMs'>;
  readonly maxRecordBytes: number;
  readonly filters: readonly FilterRule[];
  /** A dead letter could not be delivered for good: the service must stop (its offset stays uncommitted). */
  readonly onFatal: (err: Error) => void;
}

/**
 * The Kafka shell around processRecord: every input record ends as exactly one output
 * record (processed, dead letter, or routed) or a counted filter drop, and its offset is
 * acknowledged only when that output is acknowledged by the broker. An output the broker
 * refuses for good is dead-lettered instead (delivery_failed).
 */
export class Processor {
  private readonly counts: Counter<OutcomeLabel>;
  private readonly repairs: Counter<TextRepairLabel>;
  private readonly outputs: KafkaSink<SourceRecord>;
  private readonly deadLetters: KafkaSink<SourceRecord>;

  constructor(private readonly deps: ProcessorDeps) {
    this.counts = recordOutcomes(deps.registry, 'processor', 'Input records by chain and outcome (processed, dead_letter, filtered, routed)');
    this.repairs = textRepairs(deps.registry);
    const retries = new Counter({ name: 'streamdex_processor_delivery_retries_total', help: 'Outputs re-sent after a failed delivery', registers: [deps.registry] });
    new Gauge({
      name: 'streamdex_processor_in_flight',
      help: 'Records consumed and not yet acknowledged downstream',
      registers: [deps.registry],
      collect() {
        this.set(deps.consumer.tracker.inFlight);
      },
    });
    const common = {
      producer: deps.producer,
      onAcked: (source: SourceRecord) => deps.consumer.ack(source),
      onRetry: (out: OutgoingRecord, err: Error, attempt: number, delay: number) => {
        retries.inc();
        deps.logger.warn({ topic: out.topic, attempt, delay, err: err.message }, 'delivery failed, retrying');
      },
    };
    this.outputs = new KafkaSink({ ...common, onFailed: (out, err, source) => this.undeliverable(out, err, source) });
    this.deadLetters = new KafkaSink({ ...common, onFailed: (out, err, source) => this.deadLetterFailed(out, err, source) });
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
          countTextRepairs(this.repairs, chain.name, repairedTextFields(outcome.document));
          this.outputs.send(
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
        case 'dead':
          this.counts.inc({ chain: chain.name, outcome: 'dead_letter', code: outcome.reason.code });
          this.deadLetters.send({ topic: chain.topics.deadLetter, ...toDeadLetter(record, outcome.reason, 'processor', chain.name, ctx.nowMs) }, record);
          break;
        case 'filtered':
          if (outcome.topic) {
            this.counts.inc({ chain: chain.name, outcome: 'routed', code: outcome.rule });
            this.outputs.send({ topic: outcome.topic, key: record.key, value: record.value, headers: record.headers }, record);
          } else {
            this.counts.inc({ chain: chain.name, outcome: 'filtered', code: outcome.rule });
            this.deps.consumer.ack(record);
          }
          break;
      }
    }
  };

  /** The source then ends as a dead letter, so one refused output does not stop its partition. */
  private undeliverable(out: OutgoingRecord, err: Error, source: SourceRecord): void {
    if (err instanceof ClosedError) return this.leftForRestart(out, err);
    const chain = chainForInputTopic(this.deps.chains, source.topic)!;
    this.deps.logger.error({ topic: out.topic, err: err.message }, 'output refused for good, dead-lettering its source');
    const reason = { code: DeadLetterCode.DELIVERY_FAILED, message: `delivery to ${out.topic} failed: ${err.message}` };
    this.deadLetters.send({ topic: chain.topics.deadLetter, ...toDeadLetter(source, reason, 'processor', chain.name, Date.now()) }, source);
  }

  /** Nowhere left to put the record: stop, and it is read again after the restart. */
  private deadLetterFailed(out: OutgoingRecord, err: Error, _source: SourceRecord): void {
    if (err instanceof ClosedError) return this.leftForRestart(out, err);
    this.deps.onFatal(new Error(`dead letter to ${out.topic} could not be delivered, stopping with its offset uncommitted: ${err.message}`, { cause: err }));
  }

  /** The producer closed under a pending re-send (shutdown): the offset stays uncommitted. */
  private leftForRestart(out: OutgoingRecord, err: Error): void {
    this.deps.logger.warn({ topic: out.topic, err: err.message }, 'output not delivered before close; its record is re-read after restart');
  }
}
