import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { OutputIndexFacet } from '../../pipeline/chains/types';
import { DeadLetterCode, deadLetterDocument, EVENT_ID_HEADER, toDeadLetter, type DeadLetterReason, type SourceRecord } from '../../pipeline/core';
import { ClosedError } from '../../pipeline/errors';
import { KafkaSink, type BatchConsumer, type RecordSender } from '../../pipeline/kafka';
import { healthIndexFor, type HealthIndex } from '../../pipeline/health';
import type { Logger } from '../../pipeline/logger';
import { recordOutcomes, type OutcomeLabel } from '../../pipeline/metrics';
import type { BulkCallbacks, BulkIndexer, ItemRejection } from '../../pipeline/opensearch';
import { RetryReport } from '../../pipeline/retry';

/** The part of BulkIndexer the indexer uses, so tests can hand in a fake. */
export type DocumentBulk = Pick<BulkIndexer<SourceRecord>, 'add' | 'close' | 'pending' | 'stats'>;

export interface IndexerDeps {
  readonly consumer: Pick<BatchConsumer, 'ack'>;
  /** Sends rejected documents to their chain's dead-letter topic. */
  readonly producer: RecordSender;
  readonly bulk: (callbacks: BulkCallbacks<SourceRecord>) => DocumentBulk;
  readonly chains: readonly OutputIndexFacet[];
  /**
   * Where the chains' dead-letter topics are indexed (one alias for all), and the brokers the
   * read-back command in each dead-letter document names. Absent: dead letters are not read.
   */
  readonly deadLetters?: { readonly alias: string; readonly brokers: string };
  /** The services' health topic and the day indices it is indexed into. Absent: not read. */
  readonly health?: { readonly topic: string; readonly index: Pick<HealthIndex, 'prefix'> };
  readonly logger: Logger;
  readonly registry: Registry;
  /** A dead letter could not be delivered for good: the service must stop (its offset stays uncommitted). */
  readonly onFatal: (err: Error) => void;
}

/**
 * Kafka -> OpenSearch. The document id is the event id, so a record read twice (after a
 * crash or a rebalance) overwrites its own document. An offset is acknowledged once its
 * document is indexed, or dead-lettered after OpenSearch refused it for good.
 */
export class Indexer {
  readonly bulk: DocumentBulk;
  private readonly counts: Counter<OutcomeLabel>;
  private readonly deadLetters: KafkaSink<SourceRecord>;
  private readonly healthDropped: Counter;

  constructor(private readonly deps: IndexerDeps) {
    this.counts = recordOutcomes(deps.registry, 'indexer', 'Processed records by chain and outcome (indexed, dead_letter)');
    const retried = new Counter({ name: 'streamdex_indexer_retried_documents_total', help: 'Documents re-sent after 429/5xx or an unreachable cluster', registers: [deps.registry] });
    const retriedBy = new Counter({
      name: 'streamdex_indexer_bulk_retries_total',
      help: 'Bulk retries by cause: 429 (OpenSearch rejected for load), 5xx, or unreachable (no answer)',
      labelNames: ['cause'],
      registers: [deps.registry],
    });
    const requestSeconds = new Histogram({
      name: 'streamdex_indexer_bulk_request_seconds',
      help: 'Duration of each bulk request',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [deps.registry],
    });
    const requestDocuments = new Histogram({
      name: 'streamdex_indexer_bulk_request_documents',
      help: 'Documents in each bulk request',
      buckets: [1, 10, 50, 100, 250, 500, 1000, 2500, 5000],
      registers: [deps.registry],
    });
    this.healthDropped = new Counter({
      name: 'streamdex_indexer_health_records_dropped_total',
      help: 'Health records not indexed: unreadable, or refused by OpenSearch (health is best effort)',
      registers: [deps.registry],
    });
    // One warning per topic and cause every 10 s, with the count held back: not one per record.
    const deadLetterRetries = new RetryReport();
    this.deadLetters = new KafkaSink({
      producer: deps.producer,
      onAcked: (record) => deps.consumer.ack(record),
      onRetry: (out, err, _attempt, delay) => {
        const heldBack = deadLetterRetries.take(`${out.topic}\u0000${err.message}`);
        if (heldBack !== undefined) deps.logger.warn({ topic: out.topic, err: err.message, delay, heldBack }, 'dead-letter delivery failed, retrying');
      },
      onFailed: (out, err) => {
        if (err instanceof ClosedError) deps.logger.warn({ topic: out.topic, err: err.message }, 'dead letter not delivered before close; its record is re-read after restart');
        else deps.onFatal(new Error(`dead letter to ${out.topic} could not be delivered, stopping with its offset uncommitted: ${err.message}`, { cause: err }));
      },
    });
    const deadLetterRejected = new Counter({
      name: 'streamdex_indexer_dead_letter_documents_rejected_total',
      help: 'Dead letters OpenSearch refused for good: acknowledged and logged, never dead-lettered again (they stay on their topic)',
      labelNames: ['chain'],
      registers: [deps.registry],
    });
    this.bulk = deps.bulk({
      onIndexed: (refs) => {
        for (const r of refs) {
          if (this.isHealth(r)) {
            this.counts.inc({ chain: '', outcome: 'health_indexed', code: '' });
            deps.consumer.ack(r);
            continue;
          }
          const deadLetterOf = this.chainOfDeadLetter(r);
          if (deadLetterOf) this.counts.inc({ chain: deadLetterOf.name, outcome: 'dead_letter_indexed', code: '' });
          else this.counts.inc({ chain: this.chainOf(r)?.name ?? 'unknown', outcome: 'indexed', code: '' });
          deps.consumer.ack(r);
        }
      },
      onRejected: (ref, rejection) => {
        if (this.isHealth(ref)) {
          this.healthDropped.inc();
          deps.logger.warn({ offset: ref.offset, rejection }, 'health record refused by OpenSearch; dropped');
          return deps.consumer.ack(ref);
        }
        const deadLetterOf = this.chainOfDeadLetter(ref);
        if (!deadLetterOf) return this.rejected(ref, rejection);
        // Dead-lettering a dead letter would loop; the record stays on its topic for a replay.
        deadLetterRejected.inc({ chain: deadLetterOf.name });
        deps.logger.error({ topic: ref.topic, partition: ref.partition, offset: ref.offset, rejection }, 'dead letter refused by OpenSearch; it stays on its topic');
        deps.consumer.ack(ref);
      },
      onRequest: (documents, ms) => {
        requestSeconds.observe(ms / 1000);
        requestDocuments.observe(documents);
      },
      onRetry: (items, delayMs, cause) => {
        retried.inc(items);
        retriedBy.inc({ cause: retryCause(cause) });
        deps.logger.warn({ items, delayMs, cause }, 'bulk items will be retried');
      },
    });
    const bulk = this.bulk;
    new Gauge({
      name: 'streamdex_indexer_pending_documents',
      help: 'Documents buffered or in bulk requests not yet answered',
      registers: [deps.registry],
      collect() {
        this.set(bulk.pending);
      },
    });
  }

  readonly handle = (records: SourceRecord[]): void => {
    for (const record of records) {
      if (this.isHealth(record)) {
        this.indexHealth(record);
        continue;
      }
      const deadLetterOf = this.chainOfDeadLetter(record);
      if (deadLetterOf) {
        this.indexDeadLetter(deadLetterOf, record);
        continue;
      }
      const chain = this.chainOf(record);
      if (!chain) {
        this.deps.logger.error({ topic: record.topic }, 'record from a topic no chain claims; left unacknowledged');
        continue;
      }
      const id = eventIdOf(record);
      if (!id || !record.value) {
        this.deadLetter(chain, record, {
          code: DeadLetterCode.DOCUMENT_UNREADABLE,
          message: record.value ? 'processed record has no event id' : 'processed record has no value',
        });
        continue;
      }
      this.bulk.add({ index: chain.index.alias, id, source: record.value, ref: record });
    }
  };

  private indexDeadLetter(chain: OutputIndexFacet, record: SourceRecord): void {
    const { alias, brokers } = this.deps.deadLetters!;
    const { id, document } = deadLetterDocument(record, chain.name, brokers);
    this.bulk.add({ index: alias, id, source: Buffer.from(JSON.stringify(document)), ref: record });
  }

  private indexHealth(record: SourceRecord): void {
    let sampledAt: unknown;
    try {
      sampledAt = record.value ? (JSON.parse(record.value.toString('utf8')) as { sampled_at?: unknown }).sampled_at : undefined;
    } catch {
      sampledAt = undefined;
    }
    if (typeof sampledAt !== 'string') {
      this.healthDropped.inc();
      this.deps.logger.warn({ topic: record.topic, partition: record.partition, offset: record.offset }, 'unreadable health record; dropped');
      return this.deps.consumer.ack(record);
    }
    const index = healthIndexFor(this.deps.health!.index, sampledAt);
    this.bulk.add({ index, id: `${record.topic}-${record.partition}-${record.offset}`, source: record.value!, ref: record });
  }

  private isHealth(record: SourceRecord): boolean {
    return this.deps.health !== undefined && record.topic === this.deps.health.topic;
  }

  private rejected(record: SourceRecord, r: ItemRejection): void {
    const chain = this.chainOf(record)!;
    this.deadLetter(chain, record, { code: DeadLetterCode.INDEX_REJECTED, message: `${r.status} ${r.type}: ${r.reason}`, path: r.field });
  }

  private deadLetter(chain: OutputIndexFacet, record: SourceRecord, reason: DeadLetterReason): void {
    this.counts.inc({ chain: chain.name, outcome: 'dead_letter', code: reason.code });
    this.deadLetters.send({ topic: chain.topics.deadLetter, ...toDeadLetter(record, reason, 'indexer', chain.name, Date.now()) }, record);
  }

  private chainOf(record: SourceRecord): OutputIndexFacet | undefined {
    return this.deps.chains.find((c) => c.topics.output === record.topic);
  }

  private chainOfDeadLetter(record: SourceRecord): OutputIndexFacet | undefined {
    return this.deps.deadLetters ? this.deps.chains.find((c) => c.topics.deadLetter === record.topic) : undefined;
  }
}

/** What a bulk retry's cause (an OpenSearch status and error, or a transport failure) was. */
export function retryCause(cause: string): '429' | '5xx' | 'unreachable' {
  if (/\b429\b|rejected_execution|too_many_requests/i.test(cause)) return '429';
  if (/(^|\D)5\d\d(\D|$)/.test(cause)) return '5xx';
  return 'unreachable';
}

/** The processor puts the id in a header, so the indexer can send the bytes as they are. */
function eventIdOf(record: SourceRecord): string | undefined {
  for (const h of record.headers) if (h.key === EVENT_ID_HEADER) return h.value.toString('utf8');
  if (!record.value) return undefined;
  try {
    const doc = JSON.parse(record.value.toString('utf8')) as { event_id?: unknown };
    return typeof doc.event_id === 'string' ? doc.event_id : undefined;
  } catch {
    return undefined;
  }
}
