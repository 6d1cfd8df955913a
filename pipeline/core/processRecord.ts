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
  return processValue(chain, schema, decoded.value, record, ctx, options, undefined);
}

/**
 * processRecord for records that may carry several events (a chain with `split`, such as
 * an API response with a list of users): one outcome per item, in order, never empty.
 * Items fail alone: the good ones are processed and at most one outcome is `dead`, for the
 * whole record (its bytes are what gets replayed), naming the first bad item. A chain
 * without `split` gives exactly processRecord's one outcome.
 */
export function processRecordAll<Ctx extends EventWindow>(
  chain: ChainProcessing<any, object, Ctx>,
  record: SourceRecord,
  ctx: Ctx,
  options: ProcessOptions,
): Outcome[] {
  if (!chain.split) return [processRecord(chain, record, ctx, options)];
  const schema = chain.schemaFor(record.topic);
  if (!schema) return [dead(DeadLetterCode.UNKNOWN_TOPIC, `topic ${record.topic} is not an input of chain ${chain.name}`)];
  const decoded = decodeJsonObject(record.value, options.maxRecordBytes);
  if (!decoded.ok) return [{ kind: 'dead', reason: decoded.reason }];
  const split = chain.split(decoded.value);
  if (!split) return [processValue(chain, schema, decoded.value, record, ctx, options, undefined)];
  if (split.items.length === 0) return [dead(DeadLetterCode.SCHEMA, `${split.path}: expected a non-empty list`, split.path)];

  const outcomes: Outcome[] = [];
  let firstDead: DeadLetterReason | undefined;
  let deadCount = 0;
  split.items.forEach((item, i) => {
    const at = `${split.path}.${i}`;
    let outcome: Outcome;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      outcome = dead(DeadLetterCode.SCHEMA, `${at}: expected an object`, at);
    } else {
      outcome = processValue(chain, schema, item as Record<string, unknown>, record, ctx, options, i);
      if (outcome.kind === 'dead') {
        const { code, message, path } = outcome.reason;
        const text = path !== undefined && message.startsWith(`${path}: `) ? `${at}.${message}` : `${at}: ${message}`;
        outcome = dead(code, text, path === undefined ? at : `${at}.${path}`);
      }
    }
    if (outcome.kind !== 'dead') return void outcomes.push(outcome);
    deadCount++;
    firstDead ??= outcome.reason;
  });
  if (firstDead) {
    const others = split.items.length - deadCount;
    const note = others > 0 ? ` (${deadCount} of ${split.items.length} items invalid; the other ${others} were processed)` : '';
    outcomes.push(dead(firstDead.code, `${firstDead.message}${note}`, firstDead.path));
  }
  return outcomes;
}

function processValue<Ctx extends EventWindow>(
  chain: ChainProcessing<any, object, Ctx>,
  schema: NonNullable<ReturnType<ChainProcessing['schemaFor']>>,
  value: Record<string, unknown>,
  record: SourceRecord,
  ctx: Ctx,
  options: ProcessOptions,
  item: number | undefined,
): Outcome {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.map(String).join('.');
    return dead(DeadLetterCode.SCHEMA, path ? `${path}: ${issue.message}` : issue.message, path || undefined);
  }
  const raw = parsed.data;

  const source = { topic: record.topic, partition: record.partition, offset: record.offset, timestamp: record.timestamp };
  const time = chain.eventTime(raw, source);
  if (!(time.ms >= ctx.nowMs - ctx.maxEventAgeMs && time.ms <= ctx.nowMs + ctx.maxFutureSkewMs)) {
    const when = Number.isFinite(time.ms) ? new Date(time.ms).toISOString() : String(time.ms);
    const of = time.path ? '' : ' (the record\'s Kafka timestamp)';
    return dead(DeadLetterCode.TIMESTAMP_OUT_OF_RANGE, `event time ${when}${of} is outside the accepted window`, time.path || undefined);
  }

  // An item of a split record is identified by its place in the record as well.
  const eventId = chain.sourceEventId?.(raw) ?? (item === undefined ? coordinatesId(source) : `${coordinatesId(source)}-${item}`);
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
