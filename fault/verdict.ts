import { RSS_BOUNDED_ROLES, type WindowComparison } from '../harness';
import { ProcessingGuarantee } from '../pipeline/config';
import type { BrokerFaultMeasured } from './brokerFaults';
import type { Vanished } from './vanished';
import { CLEAN_EXIT_BOUND_MS, FaultKind, OUTAGE_RSS_BOUND_BYTES, SERVICE_RSS_BOUND_BYTES, guaranteeOf, type Scenario } from './scenarios';

/** Everything one scenario run measured; filled by runScenario, judged here (pure). */
export interface Measured {
  /** Producer CLI summary: broker-acknowledged records by kind. */
  readonly produced: { readonly valid: number; readonly malformed: Readonly<Record<string, number>>; readonly failed: number };
  /** Records the suite wrote itself (poison scenario): acknowledged valid / broken, and refused by the broker. */
  readonly raw: { readonly valid: number; readonly poison: number; readonly refusedByBroker: number };
  /** OpenSearch: documents, distinct event ids, distinct source (partition, offset) pairs. */
  readonly docs: number;
  readonly distinctIds: number;
  readonly distinctSources: number;
  /** Dead-letter topic read to its end. Distinct = distinct source coordinates. */
  readonly dlq: { readonly raw: number; readonly distinct: number; readonly processorDistinct: number; readonly indexerDistinct: number };
  /** Processed topic read to its end (read_committed): records and distinct event ids. */
  readonly processed: { readonly raw: number; readonly distinct: number };
  /** Input records that reached neither the processed topic nor a processor dead letter. */
  readonly vanished: Vanished;
  /** Independent expectation of documents OpenSearch must refuse (mapping conflict), when the scenario provokes some. */
  readonly expectedRejected?: number;
  /** Bulk items the indexers retried after a 429 / es_rejected_execution. */
  readonly retried429: number;
  /** Peak resident set per role, bytes, max over all instances and restarts. */
  readonly peakRss: Readonly<Record<string, number>>;
  /** Peak indexer RSS while a server was down (outage scenarios). */
  readonly outageRss?: number;
  /** Per fault: ms from its end until the pipeline caught up, or null if the next fault came first. */
  readonly recoveryMs: readonly (number | null)[];
  /** Services that exited without being told to, e.g. "indexer#2 exit 1". */
  readonly unexpectedExits: readonly string[];
  /** SIGTERMed services: exit code and time to exit. */
  readonly termExits: readonly { readonly who: string; readonly code: number | null; readonly ms: number }[];
  /** The pipeline reached the end of both topics before the deadline. */
  readonly caughtUp: boolean;
  /** Committed offsets short of the topics' ends when counting ("no lag" when none). */
  readonly lag: string;
  /** Seed and fault moments, so a failing run can be repeated. */
  readonly faultLog: readonly string[];
  readonly elapsedMs: number;
  /** Scenarios with the analytics stage: its outputs against the raw index and the injected anomalies. */
  readonly analytics?: AnalyticsMeasured;
  /** Kafka nodes the scenario ran on (1 when not given). */
  readonly brokers?: number;
  /** Leader kill and rolling restart: which nodes were stopped, who took over, replicas back in sync. */
  readonly brokerFault?: BrokerFaultMeasured;
}

export interface AnalyticsMeasured {
  /** Valid events of the run proper (the window-closing events after it excluded): the raw total every `all` series must reach. */
  readonly events: number;
  /** Per window size and dimension: closed windows' aggregates against counts over the raw index. */
  readonly series: ReadonlyArray<{ readonly sizeSeconds: number; readonly dimension: string } & WindowComparison>;
  /** `late_events` summed over all aggregates (one producer, in order per user: expected 0). */
  readonly late: number;
  /** Alerts as `<rule> <key>`: injected (producer summary), and found in the alerts index. */
  readonly injected: readonly string[];
  readonly found: readonly string[];
  /** Alerts topic read to its end: records and distinct alert ids (at-least-once: raw ≥ distinct). */
  readonly alertsTopic: TopicIds;
  /** The same for the aggregates topic and its aggregate ids (absent in results from before 2026-12-05). */
  readonly aggregatesTopic?: TopicIds;
}

export interface TopicIds {
  readonly raw: number;
  readonly distinct: number;
}

/** Entries of `a` not matched one-for-one in `b`. */
export function multisetMinus(a: readonly string[], b: readonly string[]): string[] {
  const left = new Map<string, number>();
  for (const x of b) left.set(x, (left.get(x) ?? 0) + 1);
  const out: string[] = [];
  for (const x of a) {
    const n = left.get(x) ?? 0;
    if (n > 0) left.set(x, n - 1);
    else out.push(x);
  }
  return out;
}

export const aggregatesExact = (a: AnalyticsMeasured): boolean => a.series.length > 0 && a.series.every((c) => c.differingCount === 0 && c.windows > 0) && a.series.filter((c) => c.dimension === 'all').every((c) => c.raw === a.events);
export const alertsMissing = (a: AnalyticsMeasured): string[] => multisetMinus(a.injected, a.found);
/** Found but not injected, or found more than once. */
export const alertsExtra = (a: AnalyticsMeasured): string[] => multisetMinus(a.found, a.injected);
export const alertsExact = (a: AnalyticsMeasured): boolean => a.injected.length > 0 && alertsMissing(a).length === 0 && alertsExtra(a).length === 0;

export interface Failure {
  readonly scenario: string;
  readonly assertion: string;
  readonly expected: string;
  readonly actual: string;
}

export const sum = (o: Readonly<Record<string, number>>): number => Object.values(o).reduce((a, b) => a + b, 0);

/** Valid events that exist in Kafka: the producer's plus the suite's own. */
export const validProduced = (m: Measured): number => m.produced.valid + m.raw.valid;
export const malformedProduced = (m: Measured): number => sum(m.produced.malformed) + m.raw.poison;
/** Documents OpenSearch refused for good, as the indexer dead-lettered them. */
export const rejected = (m: Measured): number => m.dlq.indexerDistinct;
/**
 * Records the input topic holds beyond those the producer had acknowledged. A broker
 * restart under load can make librdkafka bump its idempotent producer's epoch and re-send
 * what was in flight under new sequence numbers; what the old leader had already stored is
 * then stored twice, though acknowledged once (seen in the rolling-restart scenario: the
 * same two records at p2 offsets 5080-5081 and 5082-5083, epochs 0 and 1). The pipeline
 * then holds two input records, and indexes both.
 */
export const storedTwice = (m: Measured): number => Math.max(0, m.vanished.read - validProduced(m) - malformedProduced(m));
/** Of the records stored twice, the malformed ones: the processor dead-lettered more than were produced. */
const malformedStoredTwice = (m: Measured): number => Math.min(storedTwice(m), Math.max(0, m.dlq.processorDistinct - malformedProduced(m)));
const malformedInInput = (m: Measured): number => malformedProduced(m) + malformedStoredTwice(m);
/** Valid records in the input: those produced, plus the rest of what was stored twice. */
export const validInInput = (m: Measured): number => validProduced(m) + storedTwice(m) - malformedStoredTwice(m);
export const missing = (m: Measured): number => Math.max(0, validInInput(m) - rejected(m) - m.distinctSources);
export const duplicated = (m: Measured): number => m.docs - m.distinctSources;

/**
 * The assertions of issue 5 for one scenario. Each failure names what was expected and
 * what was measured, so a broken guarantee is one readable line in the output.
 */
export function judge(s: Scenario, m: Measured): Failure[] {
  const out: Failure[] = [];
  const check = (ok: boolean, assertion: string, expected: string | number, actual: string | number) => {
    if (!ok) out.push({ scenario: s.id, assertion, expected: String(expected), actual: String(actual) });
  };
  const valid = validInInput(m);
  const malformed = malformedInInput(m);

  check(m.produced.failed === 0, 'producer delivered every record', 'failed = 0', `failed = ${m.produced.failed}`);
  check(valid > 0, 'some valid events were produced', '> 0', valid);
  check(m.caughtUp, 'pipeline caught up (committed offsets reached both topics\' ends) before the deadline', 'no lag', m.lag);
  check(m.vanished.read >= validProduced(m) + malformedProduced(m), 'the input topic holds every record the producer had acknowledged', `>= ${validProduced(m) + malformedProduced(m)}`, m.vanished.read);
  check(m.distinctSources === valid - rejected(m), 'distinct event ids indexed == valid input records - rejected for good', valid - rejected(m), m.distinctSources);
  check(m.distinctIds === m.distinctSources, 'distinct event ids == distinct source offsets', m.distinctSources, m.distinctIds);
  check(m.docs === m.distinctSources, 'documents == distinct ids', m.distinctSources, m.docs);
  check(missing(m) === 0, 'missing == 0', 0, missing(m));
  check(duplicated(m) === 0, 'duplicated == 0', 0, duplicated(m));
  check(m.dlq.distinct === malformed + rejected(m), 'dead-lettered == malformed produced + rejected for good', malformed + rejected(m), m.dlq.distinct);
  check(m.dlq.processorDistinct === malformed, 'processor dead letters == malformed produced', malformed, m.dlq.processorDistinct);
  check(m.vanished.count === 0, 'every input record reached the processed topic or a dead letter', '0 vanished', `${m.vanished.count} vanished, e.g. ${m.vanished.examples.join('; ')}`);
  check(m.unexpectedExits.length === 0, 'no service died unless the scenario killed it', 'none', m.unexpectedExits.join('; '));
  for (const role of RSS_BOUNDED_ROLES) {
    const peak = m.peakRss[role];
    if (peak !== undefined) check(peak <= SERVICE_RSS_BOUND_BYTES, `${role} peak RSS <= bound`, `<= ${mb(SERVICE_RSS_BOUND_BYTES)} MB`, `${mb(peak)} MB`);
  }

  if (guaranteeOf(s) === ProcessingGuarantee.EXACTLY_ONCE) {
    check(storedTwice(m) === 0, 'exactly_once: the input topic holds each acknowledged record once (the producer\'s transactions)', validProduced(m) + malformedProduced(m), m.vanished.read);
    check(m.processed.raw === m.processed.distinct, 'exactly_once: no duplicate event id in the processed topic (read_committed)', m.processed.distinct, m.processed.raw);
    check(m.dlq.raw === m.dlq.distinct, 'exactly_once: every dead letter once (raw == distinct source coordinates)', m.dlq.distinct, m.dlq.raw);
  }

  if (s.analytics) {
    const a = m.analytics;
    check(a !== undefined, 'the analytics stage\'s outputs were measured', 'measured', 'not measured');
    if (a) {
      for (const c of a.series) {
        check(c.windows > 0, `closed ${c.sizeSeconds} s windows exist (${c.dimension})`, '> 0', c.windows);
        check(c.differingCount === 0, `every closed ${c.sizeSeconds} s window's aggregate == raw count (${c.dimension})`, '0 differing', `${c.differingCount} differing, e.g. ${c.differing.map((d) => `${d[0]} raw ${d[1] ?? 0} aggregated ${d[2] ?? 0}`).join('; ')}`);
        if (c.dimension === 'all') check(c.raw === a.events, `raw events in closed ${c.sizeSeconds} s windows == valid produced`, a.events, c.raw);
      }
      check(a.injected.length > 0, 'anomalies were injected (and acknowledged)', '> 0', a.injected.length);
      check(alertsMissing(a).length === 0, 'no injected anomaly without its alert', 'none missing', alertsMissing(a).join(', '));
      check(alertsExtra(a).length === 0, 'no alert twice, none that was not injected', 'none', alertsExtra(a).join(', '));
      if (guaranteeOf(s) === ProcessingGuarantee.EXACTLY_ONCE) {
        check(a.alertsTopic.raw === a.alertsTopic.distinct, 'exactly_once: every alert once in the alerts topic (raw == distinct ids)', a.alertsTopic.distinct, a.alertsTopic.raw);
        const g = a.aggregatesTopic;
        check(g !== undefined && g.raw === g.distinct, 'exactly_once: every aggregate once in the aggregates topic (raw == distinct ids)', g?.distinct ?? 'measured', g?.raw ?? 'not measured');
      }
    }
  }

  switch (s.fault.kind) {
    case FaultKind.OUTAGE:
      if (s.fault.server === 'opensearch') {
        check(m.outageRss !== undefined && m.outageRss < OUTAGE_RSS_BOUND_BYTES, 'indexer RSS during the outage < bound', `< ${mb(OUTAGE_RSS_BOUND_BYTES)} MB`, m.outageRss === undefined ? 'not sampled' : `${mb(m.outageRss)} MB`);
      }
      break;
    case FaultKind.REJECT:
      check(m.expectedRejected !== undefined && m.expectedRejected > 0, 'the mapping conflict concerns some documents', '> 0', m.expectedRejected ?? 'unknown');
      check(rejected(m) === m.expectedRejected, 'rejected for good == documents that conflict with the mapping', m.expectedRejected ?? 'unknown', rejected(m));
      check(rejected(m) < valid, 'the mapping conflict concerns only some documents', `< ${valid}`, rejected(m));
      check(m.retried429 > 0, 'OpenSearch really answered 429 (retried items)', '> 0', m.retried429);
      break;
    case FaultKind.POISON:
      check(m.raw.refusedByBroker > 0, 'the record above the broker maximum was refused at produce time', '> 0', m.raw.refusedByBroker);
      check(m.raw.poison > 0 && m.raw.valid > 0, 'raw poison and raw valid records were written', '> 0 each', `${m.raw.poison} poison, ${m.raw.valid} valid`);
      break;
    case FaultKind.SIGNAL:
      if (s.fault.signal === 'SIGTERM') {
        check(m.processed.raw === m.processed.distinct, 'no duplicate event id in the processed topic across clean shutdowns', m.processed.distinct, m.processed.raw);
      }
      break;
    case FaultKind.SCALE:
      break;
    case FaultKind.LEADER_KILL: {
      const b = m.brokerFault;
      check((m.brokers ?? 1) >= 3, 'runs on a cluster of three', '>= 3 brokers', m.brokers ?? 1);
      const c = b?.leaderChange;
      check(c !== undefined && c.after >= 0 && c.after !== c.before, 'another replica became leader of the killed leader\'s partition', `a node other than ${c?.before ?? '?'}`, c ? `${c.after} after ${c.ms} ms` : 'not measured');
      check(b?.inSync === true, 'the restarted node is back in every in-sync replica set', 'in sync', b ? 'not in sync' : 'not measured');
      break;
    }
    case FaultKind.ROLLING_RESTART: {
      const b = m.brokerFault;
      check((m.brokers ?? 1) >= 3, 'runs on a cluster of three', '>= 3 brokers', m.brokers ?? 1);
      check(new Set(b?.victims ?? []).size === (m.brokers ?? 1), 'every node was restarted', m.brokers ?? 1, b?.victims.join(', ') ?? 'none');
      check(b?.inSync === true, 'every replica back in sync after each restart', 'in sync', b ? 'not in sync' : 'not measured');
      break;
    }
    case FaultKind.INDEX_BLOCK:
      check(rejected(m) === 0, 'nothing dead-lettered because of the block', 0, rejected(m));
      check(m.retried429 > 0, 'OpenSearch really refused writes (items retried after 429 cluster_block_exception)', '> 0', m.retried429);
      break;
  }
  if (s.fault.kind === FaultKind.SCALE || (s.fault.kind === FaultKind.SIGNAL && s.fault.signal === 'SIGTERM')) {
    check(m.termExits.length > 0, 'services were SIGTERMed', '> 0', m.termExits.length);
    for (const t of m.termExits) {
      check(t.code === 0 && t.ms <= CLEAN_EXIT_BOUND_MS, `${t.who} exits 0 within ${CLEAN_EXIT_BOUND_MS / 1000} s of SIGTERM`, 'exit 0', `exit ${t.code} after ${t.ms} ms`);
    }
  }
  return out;
}

export function mb(bytes: number): number {
  return Math.round(bytes / (1024 * 1024));
}

export function formatFailure(f: Failure): string {
  return `FAIL ${f.scenario}: ${f.assertion}: expected ${f.expected}, actual ${f.actual}`;
}
