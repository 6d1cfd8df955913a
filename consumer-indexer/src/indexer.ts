import { Counter, Gauge, type Registry } from 'prom-client';
import type { OutputIndexFacet } from '../../pipeline/chains/types';
import { DeadLetterCode, EVENT_ID_HEADER, toDeadLetter, type DeadLetterReason, type SourceRecord } from '../../pipeline/core';
import { ClosedError } from '../../pipeline/errors';
import { KafkaSink, type BatchConsumer, type RecordSender } from '../../pipeline/kafka';
import type { Logger } from '../../pipeline/logger';
import { recordOutcomes, type OutcomeLabel } from '../../pipeline/metrics';
import type { BulkCallbacks, BulkIndexer, ItemRejection } from '../../pipeline/opensearch';

/** The part of BulkIndexer the indexer uses, so tests can hand in a fake. */
export type DocumentBulk = Pick<BulkIndexer<SourceRecord>, 'add' | 'close' | 'pending' | 'stats'>;

export interface IndexerDeps {
  readonly consumer: Pick<BatchConsumer, 'ack'>;
  /** Sends rejected documents to their chain's dead-letter topic. */
  readonly producer: RecordSender;
  readonly bulk: (callbacks: BulkCallbacks<SourceRecord>) => DocumentBulk;
  readonly chains: readonly OutputIndexFacet[];
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

  constructor(private readonly deps: IndexerDeps) {
    this.counts = recordOutcomes(deps.registry, 'indexer', 'Processed records by chain and outcome (indexed, dead_letter)');
    const retried = new Counter({ name: 'streamdex_indexer_retried_documents_total', help: 'Documents re-sent after 429/5xx or an unreachable cluster', registers: [deps.registry] });
    this.deadLetters = new KafkaSink({
      producer: deps.producer,
      onAcked: (record) => deps.consumer.ack(record),
      onRetry: (_out, err, _attempt, delay) => deps.logger.warn({ err: err.message, delay }, 'dead-letter delivery failed, retrying'),
      onFailed: (out, err) => {
        if (err instanceof ClosedError) deps.logger.warn({ topic: out.topic, err: err.message }, 'dead letter not delivered before close; its record is re-read after restart');
        else deps.onFatal(new Error(`dead letter to ${out.topic} could not be delivered, stopping with its offset uncommitted: ${err.message}`, { cause: err }));
      },
    });
    this.bulk = deps.bulk({
      onIndexed: (refs) => {
        for (const r of refs) {
          this.counts.inc({ chain: this.chainOf(r)?.name ?? 'unknown', outcome: 'indexed', code: '' });
          deps.consumer.ack(r);
        }
      },
      onRejected: (ref, rejection) => this.rejected(ref, rejection),
      onRetry: (items, delayMs, cause) => {
        retried.inc(items);
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
