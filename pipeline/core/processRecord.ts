import { decodeJsonObject } from './decode';
import { coordinatesId } from './eventId';
import { matchFilter, type FilterRule } from './filters';
import { DeadLetterCode, type ChainProcessing, type DeadLetterReason, type EventWindow, type Outcome, type SourceRecord } from './types';

export interface ProcessOptions {
  /** Largest raw value accepted; bigger ones are dead-lettered unparsed. */
  readonly maxRecordBytes: number;
  readonly filters: readonly FilterRule[];
}

/**
 * The pure heart of the processor: one raw Kafka record in, one decision out. No I/O, no
 * clock (time comes in `ctx`), never throws for bad input: every failure becomes a
 * dead-letter reason that names the field to blame.
 */
export function processRecord<Ctx extends EventWindow>(
  chain: ChainProcessing<any, object, Ctx>,
  record: SourceRecord,
  ctx: Ctx,
  options: ProcessOptions,
): Outcome {
  const schema = chain.schemaFor(record.topic);
  if (!schema) return dead(DeadLetterCode.UNKNOWN_TOPIC, `topic ${record.topic} is not an input of chain ${chain.name}`);

  const decoded = decodeJsonObject(record.value, options.maxRecordBytes);
  if (!decoded.ok) return { kind: 'dead', reason: decoded.reason };

  const parsed = schema.safeParse(decoded.value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.map(String).join('.');
    return dead(DeadLetterCode.SCHEMA, path ? `${path}: ${issue.message}` : issue.message, path || undefined);
  }
  const raw = parsed.data;

  const time = chain.eventTime(raw);
  if (time.ms < ctx.nowMs - ctx.maxEventAgeMs || time.ms > ctx.nowMs + ctx.maxFutureSkewMs) {
    const when = Number.isFinite(time.ms) ? new Date(time.ms).toISOString() : String(time.ms);
    return dead(DeadLetterCode.TIMESTAMP_OUT_OF_RANGE, `event time ${when} is outside the accepted window`, time.path);
  }

  const source = { topic: record.topic, partition: record.partition, offset: record.offset, timestamp: record.timestamp };
  const eventId = chain.sourceEventId?.(raw) ?? coordinatesId(source);
  let document: object;
  try {
    document = chain.enrich(raw, { eventId, eventTimeMs: time.ms, source }, ctx);
  } catch (err) {
    // An enricher bug must cost one record, not the partition.
    return dead(DeadLetterCode.ENRICH_FAILED, `enrichment failed: ${(err as Error).message}`);
  }

  const filtered = options.filters.length > 0 ? matchFilter(options.filters, chain.name, document) : null;
  if (filtered) return { kind: 'filtered', rule: filtered.rule, topic: filtered.topic };

  return { kind: 'ok', id: eventId, key: chain.outputKey(raw), document };
}

function dead(code: DeadLetterReason['code'], message: string, path?: string): Outcome {
  return { kind: 'dead', reason: path === undefined ? { code, message } : { code, message, path } };
}
