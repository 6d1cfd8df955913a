import { ProcessingGuarantee } from '../pipeline/config';
import { serviceRssBoundMiB } from '../harness';

/**
 * The fault-injection scenarios of issue 5, as data: what is done to the running pipeline,
 * at what load, and which extra guarantees are checked. The runner (runScenario.ts) knows
 * how to perform each kind of fault; adding a scenario is adding a row here.
 */
export const Role = { PROCESSOR: 'processor', INDEXER: 'indexer', ANALYTICS: 'analytics', PRODUCER: 'producer' } as const;
export type Role = (typeof Role)[keyof typeof Role];
export type ServiceRole = typeof Role.PROCESSOR | typeof Role.INDEXER | typeof Role.ANALYTICS;

export const FaultKind = {
  SIGNAL: 'signal',
  OUTAGE: 'outage',
  SCALE: 'scale',
  POISON: 'poison',
  REJECT: 'reject',
  LEADER_KILL: 'leader-kill',
  ROLLING_RESTART: 'rolling-restart',
  INDEX_BLOCK: 'index-block',
} as const;

/** Per run size: the full suite of the issue, or the short one CI runs. */
export interface BySize<T> {
  readonly full: T;
  readonly quick: T;
}

export type FaultSpec =
  | {
      readonly kind: typeof FaultKind.SIGNAL;
      readonly signal: 'SIGKILL' | 'SIGTERM';
      readonly roles: readonly ServiceRole[];
      readonly times: BySize<number>;
      /** At least this long between one restart and the next signal (a replacement must have taken over first). */
      readonly minGapMs?: number;
    }
  | { readonly kind: typeof FaultKind.OUTAGE; readonly server: 'opensearch' | 'kafka'; readonly downMs: BySize<number> }
  | { readonly kind: typeof FaultKind.SCALE; readonly to: number }
  | { readonly kind: typeof FaultKind.POISON }
  | { readonly kind: typeof FaultKind.REJECT; readonly openSearchSettings: string; readonly narrowedField: string }
  /** SIGKILL the node leading the input partition with the most records; restart it after `downMs`. */
  | { readonly kind: typeof FaultKind.LEADER_KILL; readonly downMs: BySize<number> }
  /** Every node in turn: SIGTERM, start again, wait until every replica is back in sync. */
  | { readonly kind: typeof FaultKind.ROLLING_RESTART }
  /** The index refuses writes (`index.blocks.read_only_allow_delete`) for `blockedMs`, then accepts them again. */
  | { readonly kind: typeof FaultKind.INDEX_BLOCK; readonly blockedMs: BySize<number> };

export interface Scenario {
  readonly id: string;
  readonly title: string;
  /** What a pass proves, for the docs and the progress output. */
  readonly proves: string;
  readonly fault: FaultSpec;
  /** Share of the producer's records broken in every way it knows. */
  readonly malformedRatio: number;
  /** Producer rate relative to the suite's base rate (>1: faster than the pipeline drains). */
  readonly load: number;
  /** PROCESSING_GUARANTEE of the processor and the analytics stage. Default at_least_once. */
  readonly guarantee?: ProcessingGuarantee;
  /** Extra environment for the services in this scenario. */
  readonly serviceEnv?: Readonly<Record<string, string>>;
  /**
   * Runs the analytics stage too (ANALYTICS=true for create-topics and the indexer), with
   * anomalies injected by the producer; its aggregates and alerts are then checked exactly.
   */
  readonly analytics?: { readonly loginBursts: BySize<number>; readonly travels: BySize<number>; readonly burstSize: number };
  /** Kafka nodes it runs on (default 1); 3 gives replication factor 3 and min.insync.replicas 2. */
  readonly brokers?: number;
}

/** What every service's peak RSS must stay under in every scenario, bytes (services.json, issue 16). */
export const SERVICE_RSS_BOUND_BYTES = serviceRssBoundMiB() * 1024 * 1024;
/** The indexer's RSS must stay under this while OpenSearch is down (INDEXER_MAX_IN_FLIGHT bounds it). */
export const OUTAGE_RSS_BOUND_BYTES = SERVICE_RSS_BOUND_BYTES;
/** A SIGTERMed service must have exited 0 within this (consumer drain 30 s + bulk close 20 s fit). */
export const CLEAN_EXIT_BOUND_MS = 60_000;

/** The analytics kill, run under each guarantee. */
const KILL_ANALYTICS = {
  // Each kill comes after the replacement took over (the dead member's session ends after
  // 10 s); windows are open at every moment, since commits stay below the first record of
  // the oldest open window (the travel rule's 10 min) until later event times close it.
  fault: { kind: FaultKind.SIGNAL, signal: 'SIGKILL', roles: ['analytics'], times: { full: 4, quick: 2 }, minGapMs: 15_000 },
  malformedRatio: 0.01,
  load: 0.5,
  analytics: { loginBursts: { full: 5, quick: 3 }, travels: { full: 5, quick: 3 }, burstSize: 15 },
  // Its 1 % malformed records are no spike and it injects none (the e2e analytics test does):
  // out of reach, so every alert must be one the producer injected.
  serviceEnv: { ALERT_DEAD_LETTER_MIN_COUNT: '1000000' },
} as const satisfies Partial<Scenario>;

export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'kill-processor',
    title: 'processor SIGKILLed at random moments, restarted each time',
    proves: 'uncommitted input is re-read after a crash and its duplicates collapse onto the same document ids',
    fault: { kind: FaultKind.SIGNAL, signal: 'SIGKILL', roles: ['processor'], times: { full: 5, quick: 2 } },
    malformedRatio: 0.02,
    load: 1,
    // Outputs wait longer for their acknowledgement than the 1 s commit interval would
    // notice, so a processor that acknowledged its input before delivery could not hide.
    serviceEnv: { PROCESSOR_LINGER_MS: '500' },
  },
  {
    id: 'kill-processor-eos',
    title: 'processor under exactly_once SIGKILLed at random moments, restarted each time',
    proves: 'a transaction holds a batch\'s outputs and offsets: after a crash the processed and dead-letter topics hold every record once',
    fault: { kind: FaultKind.SIGNAL, signal: 'SIGKILL', roles: ['processor'], times: { full: 5, quick: 2 } },
    malformedRatio: 0.02,
    load: 1,
    guarantee: ProcessingGuarantee.EXACTLY_ONCE,
    // As kill-processor: outputs wait for their acknowledgement, so more is open at each kill.
    serviceEnv: { PROCESSOR_LINGER_MS: '500' },
  },
  {
    id: 'kill-indexer',
    title: 'indexer SIGKILLed at random moments, restarted each time',
    proves: 'offsets are committed only after OpenSearch stored the document, so a crash loses nothing',
    fault: { kind: FaultKind.SIGNAL, signal: 'SIGKILL', roles: ['indexer'], times: { full: 5, quick: 2 } },
    malformedRatio: 0.02,
    load: 1,
    // Documents wait in the bulk buffer longer than the 1 s commit interval: an indexer that
    // committed before OpenSearch stored its documents would lose some at every kill.
    serviceEnv: { BULK_FLUSH_MS: '2000', BULK_MAX_DOCS: '5000' },
  },
  {
    id: 'opensearch-outage',
    title: 'OpenSearch stopped under load, then started again',
    proves: 'the indexer survives an outage with bounded memory and indexes the backlog afterwards',
    fault: { kind: FaultKind.OUTAGE, server: 'opensearch', downMs: { full: 60_000, quick: 20_000 } },
    malformedRatio: 0.01,
    load: 1,
  },
  {
    id: 'kafka-outage',
    title: 'Kafka broker stopped under load, then started again',
    proves: 'producer, processor and indexer reconnect by themselves and nothing acknowledged is lost',
    fault: { kind: FaultKind.OUTAGE, server: 'kafka', downMs: { full: 20_000, quick: 10_000 } },
    malformedRatio: 0.01,
    load: 1,
  },
  {
    id: 'scale-1-3-1',
    title: 'processor and indexer scaled from 1 to 3 instances and back (SIGTERM) during a run',
    proves: 'rebalances hand partitions over at committed offsets: no gap, no document twice',
    fault: { kind: FaultKind.SCALE, to: 3 },
    malformedRatio: 0.01,
    // Slower, so the run lasts long enough for members to join and leave while it goes on.
    load: 0.5,
  },
  {
    id: 'poison',
    title: 'poison input of every malformed kind, near/above the broker maximum, garbage, tombstones, non-UTF-8 headers',
    proves: 'no record stops a partition: each is dead-lettered (or refused at produce time) and valid events behind it are indexed',
    fault: { kind: FaultKind.POISON },
    malformedRatio: 0.05,
    load: 1,
  },
  {
    id: 'opensearch-rejects',
    title: 'OpenSearch rejecting documents: mapping conflict on some, real 429s from a 1-thread write pool',
    proves: 'documents refused for good are dead-lettered (not committed past silently), 429s are retried until stored',
    fault: {
      kind: FaultKind.REJECT,
      openSearchSettings: 'thread_pool.write.size: 1;thread_pool.write.queue_size: 1',
      narrowedField: 'user_agent.browser_version',
    },
    malformedRatio: 0.01,
    load: 1,
    // More, smaller bulk requests at once, so the one write thread really is overrun.
    serviceEnv: { BULK_CONCURRENCY: '6', BULK_MAX_DOCS: '200' },
  },
  {
    id: 'sigterm-under-load',
    title: 'processor and indexer SIGTERMed during heavy load, restarted',
    proves: 'a clean shutdown commits exactly what is done: exit 0, no loss, no duplicate in the processed topic',
    fault: { kind: FaultKind.SIGNAL, signal: 'SIGTERM', roles: ['processor', 'indexer'], times: { full: 3, quick: 1 } },
    malformedRatio: 0.01,
    load: 1.5,
  },
  {
    id: 'kill-analytics',
    title: 'analytics stage SIGKILLed with windows open, restarted each time; anomalies injected',
    proves: 'a restart rebuilds open windows from Kafka and its checkpoints: every closed window equals the raw count, every injected anomaly alerts exactly once',
    ...KILL_ANALYTICS,
  },
  {
    id: 'kill-analytics-eos',
    title: 'analytics stage under exactly_once SIGKILLed with windows open, restarted each time; anomalies injected',
    proves: 'a closed window\'s outputs and its checkpoint commit in one transaction: after a crash the aggregates and alerts topics hold each once',
    ...KILL_ANALYTICS,
    guarantee: ProcessingGuarantee.EXACTLY_ONCE,
  },
  {
    id: 'opensearch-block',
    title: 'the index refuses writes (read_only_allow_delete block) under load, then the block is lifted',
    proves: 'a blocked index is waited out, not dead-lettered: nothing lost, and the indexer resumes by itself',
    fault: { kind: FaultKind.INDEX_BLOCK, blockedMs: { full: 60_000, quick: 15_000 } },
    malformedRatio: 0.01,
    load: 1,
  },
  {
    id: 'kill-leader',
    title: 'three brokers: the leader of the busiest input partition SIGKILLed under load, restarted later',
    proves: 'with replication factor 3 and min.insync.replicas 2 a dead leader loses no acknowledged record: a replica in sync takes over',
    fault: { kind: FaultKind.LEADER_KILL, downMs: { full: 30_000, quick: 15_000 } },
    malformedRatio: 0.01,
    // Slower, so the producer is still sending while the new leader is elected and after.
    load: 0.5,
    brokers: 3,
  },
  {
    id: 'rolling-restart',
    title: 'three brokers restarted one after the other (SIGTERM, start, replicas in sync), round after round while the producer sends',
    proves: 'a routine rolling restart of the cluster loses nothing and indexes nothing twice',
    fault: { kind: FaultKind.ROLLING_RESTART },
    malformedRatio: 0.01,
    // Slower, so that even the quick run's producer lasts a full round of three restarts.
    load: 0.12,
    brokers: 3,
  },
];

export function guaranteeOf(s: Scenario): ProcessingGuarantee {
  return s.guarantee ?? ProcessingGuarantee.AT_LEAST_ONCE;
}

/** Replication of the scenario's topics on `brokers` nodes, as create-topics reads it. */
export function replicationEnv(brokers: number): Record<string, string> {
  const factor = Math.min(brokers, 3);
  return { TOPIC_REPLICATION_FACTOR: String(factor), TOPIC_MIN_INSYNC_REPLICAS: String(factor >= 3 ? 2 : 1) };
}

export function scenarioIds(): string[] {
  return SCENARIOS.map((s) => s.id);
}
