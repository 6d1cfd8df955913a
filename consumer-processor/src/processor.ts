import { Counter, Gauge, type Registry } from 'prom-client';
import { chainForInputTopic } from '../../pipeline/chains/select';
import type { ProcessingContext, ProcessingFacet } from '../../pipeline/chains/types';
import { DeadLetterCode, EVENT_ID_HEADER, processRecordAll, toDeadLetter, type FilterRule, type Outcome, type SourceRecord } from '../../pipeline/core';
import { repairedTextFields } from '../../pipeline/enrich';
import { ClosedError } from '../../pipeline/errors';
import { KafkaSink, type BatchConsumer, type OutgoingRecord, type RecordSender } from '../../pipeline/kafka';
import type { Logger } from '../../pipeline/logger';
import { countTextRepairs, recordOutcomes, textRepairs, type OutcomeLabel, type TextRepairLabel } from '../../pipeline/metrics';
import { RetryReport } from '../../pipeline/retry';

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
 * One input record and the outputs it is waiting for: a record that carries several events
 * (processRecordAll) is acknowledged once, when the last of its outputs is.
 */
interface Pending {
  readonly source: SourceRecord;
  remaining: number;
  /** An output was refused for good and the source dead-lettered: that dead letter acks it. */
  deadLettered: boolean;
}

/**
 * The Kafka shell around processRecordAll: every input record ends as its output records
 * (processed, dead letter, or routed; one, or one per item of a record that carries
 * several) or counted filter drops, and its offset is acknowledged only when all those
 * outputs are acknowledged by the broker. An output the broker refuses for good
 * dead-letters its source instead (delivery_failed), once.
 */
export class Processor {
  private readonly counts: Counter<OutcomeLabel>;
  private readonly repairs: Counter<TextRepairLabel>;
  private readonly outputs: KafkaSink<Pending>;
  private readonly deadLetters: KafkaSink<Pending>;

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
    // One warning per topic and cause every 10 s, with the count held back: not one per record.
    const report = new RetryReport();
    const common = {
      producer: deps.producer,
      onAcked: (p: Pending) => {
        if (--p.remaining === 0) deps.consumer.ack(p.source);
      },
      onRetry: (out: OutgoingRecord, err: Error, attempt: number, delay: number) => {
        retries.inc();
        const heldBack = report.take(`${out.topic}\u0000${err.message}`);
        if (heldBack !== undefined) deps.logger.warn({ topic: out.topic, attempt, delay, err: err.message, heldBack }, 'delivery failed, retrying');
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
      const outcomes = processRecordAll(chain, record, ctx, options);
      const pending: Pending = { source: record, remaining: outcomes.filter(sends).length, deadLettered: false };
      if (pending.remaining === 0) this.deps.consumer.ack(record);
      for (const outcome of outcomes) this.emit(chain, record, outcome, pending, ctx.nowMs);
    }
  };

  private emit(chain: ProcessingFacet, record: SourceRecord, outcome: Outcome, pending: Pending, nowMs: number): void {
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
          pending,
        );
        break;
      case 'dead':
        this.counts.inc({ chain: chain.name, outcome: 'dead_letter', code: outcome.reason.code });
        this.deadLetters.send({ topic: chain.topics.deadLetter, ...toDeadLetter(record, outcome.reason, 'processor', chain.name, nowMs, chain.redactDeadLetter) }, pending);
        break;
      case 'filtered':
        if (outcome.topic) {
          this.counts.inc({ chain: chain.name, outcome: 'routed', code: outcome.rule });
          this.outputs.send({ topic: outcome.topic, key: record.key, value: record.value, headers: record.headers }, pending);
        } else {
          this.counts.inc({ chain: chain.name, outcome: 'filtered', code: outcome.rule });
        }
        break;
    }
  }

  /** The source then ends as a dead letter, so one refused output does not stop its partition. */
  private undeliverable(out: OutgoingRecord, err: Error, pending: Pending): void {
    if (err instanceof ClosedError) return this.leftForRestart(out, err);
    // The source's bytes hold all its items: one dead letter replays them all.
    if (pending.deadLettered) return;
    pending.deadLettered = true;
    const { source } = pending;
    const chain = chainForInputTopic(this.deps.chains, source.topic)!;
    this.deps.logger.error({ topic: out.topic, err: err.message }, 'output refused for good, dead-lettering its source');
    const reason = { code: DeadLetterCode.DELIVERY_FAILED, message: `delivery to ${out.topic} failed: ${err.message}` };
    // Its ack stands in for every output still outstanding.
    this.deadLetters.send(
      { topic: chain.topics.deadLetter, ...toDeadLetter(source, reason, 'processor', chain.name, Date.now(), chain.redactDeadLetter) },
      { source, remaining: 1, deadLettered: true },
    );
    pending.remaining = Number.POSITIVE_INFINITY;
  }

  /** Nowhere left to put the record: stop, and it is read again after the restart. */
  private deadLetterFailed(out: OutgoingRecord, err: Error, _pending: Pending): void {
    if (err instanceof ClosedError) return this.leftForRestart(out, err);
    this.deps.onFatal(new Error(`dead letter to ${out.topic} could not be delivered, stopping with its offset uncommitted: ${err.message}`, { cause: err }));
  }

  /** The producer closed under a pending re-send (shutdown): the offset stays uncommitted. */
  private leftForRestart(out: OutgoingRecord, err: Error): void {
    this.deps.logger.warn({ topic: out.topic, err: err.message }, 'output not delivered before close; its record is re-read after restart');
  }
}

/** Outcomes that send a record the source has to wait for (a filter drop sends none). */
function sends(o: Outcome): boolean {
  return o.kind !== 'filtered' || o.topic !== null;
}
