import { SCENARIOS, type Scenario } from '../../fault/scenarios';
import { aggregatesExact, alertsExtra, alertsMissing, duplicated, formatFailure, judge, missing, storedTwice, type AnalyticsMeasured, type Measured } from '../../fault/verdict';
import { markdownTable } from '../../fault/table';
import { faultMoments } from '../../fault/faultMoments';
import { fitsFloat } from '../../fault/fitsFloat';

const scenario = (id: string): Scenario => SCENARIOS.find((s) => s.id === id)!;

/** A run where every guarantee held: 1000 valid, 20 malformed, nothing rejected. */
const good: Measured = {
  produced: { valid: 1000, malformed: { not_json: 10, tombstone: 10 }, failed: 0 },
  raw: { valid: 0, poison: 0, refusedByBroker: 0 },
  docs: 1000,
  distinctIds: 1000,
  distinctSources: 1000,
  dlq: { raw: 23, distinct: 20, processorDistinct: 20, indexerDistinct: 0 },
  processed: { raw: 1010, distinct: 1000 },
  vanished: { read: 1020, count: 0, examples: [] },
  retried429: 0,
  peakRss: { processor: 100 << 20, indexer: 120 << 20, producer: 90 << 20 },
  recoveryMs: [1200, null],
  unexpectedExits: [],
  termExits: [],
  caughtUp: true,
  lag: 'no lag',
  faultLog: [],
  elapsedMs: 1000,
};

describe('judge', () => {
  it('passes a run where every count is exact, tolerating raw dead-letter and processed duplicates after SIGKILL', () => {
    expect(judge(scenario('kill-processor'), good)).toEqual([]);
  });

  it('fails a service whose peak RSS passed its bound, in any scenario', () => {
    const heavy = { ...good, peakRss: { ...good.peakRss, indexer: 257 << 20, processor: 256 << 20 } };
    expect(judge(scenario('kill-processor'), heavy).map(formatFailure)).toEqual(['FAIL kill-processor: indexer peak RSS <= bound: expected <= 256 MB, actual 257 MB']);
  });

  it('names the input records that reached neither the processed topic nor a dead letter', () => {
    const lost = { ...good, dlq: { ...good.dlq, distinct: 19, processorDistinct: 19 }, vanished: { read: 1020, count: 1, examples: ['p2@4711 2026-12-03T14:28:00.000Z null'] } };
    expect(judge(scenario('kill-processor'), lost).map(formatFailure)).toContain(
      'FAIL kill-processor: every input record reached the processed topic or a dead letter: expected 0 vanished, actual 1 vanished, e.g. p2@4711 2026-12-03T14:28:00.000Z null',
    );
  });

  it('fails loudly, naming expected and actual, when an indexed event is missing', () => {
    const lost = { ...good, docs: 999, distinctIds: 999, distinctSources: 999 };
    expect(missing(lost)).toBe(1);
    const failures = judge(scenario('kill-indexer'), lost).map(formatFailure);
    expect(failures).toContain('FAIL kill-indexer: missing == 0: expected 0, actual 1');
    expect(failures).toContain('FAIL kill-indexer: distinct event ids indexed == valid input records - rejected for good: expected 1000, actual 999');
  });

  it('indexes what the input holds when the producer\'s client stored acknowledged records twice, and says so', () => {
    // Two valid records and one malformed one re-sent after an epoch bump: the input holds 1023.
    const resent = { ...good, vanished: { read: 1023, count: 0, examples: [] }, docs: 1002, distinctIds: 1002, distinctSources: 1002, dlq: { ...good.dlq, distinct: 21, processorDistinct: 21 } };
    expect(storedTwice(resent)).toBe(3);
    expect(missing(resent)).toBe(0);
    expect(judge(scenario('kill-processor'), resent)).toEqual([]);
    expect(markdownTable([{ scenario: 'rolling-restart', passed: true, guarantee: 'at_least_once', measured: resent }])).toContain('3 acknowledged once but stored twice in the input');
    // The same input indexed once per acknowledged record would have lost the two copies.
    expect(judge(scenario('kill-processor'), { ...resent, docs: 1000, distinctIds: 1000, distinctSources: 1000 }).map(formatFailure)).toContain('FAIL kill-processor: missing == 0: expected 0, actual 2');
  });

  it('under exactly_once fails an input that holds an acknowledged record twice (the producer writes in transactions)', () => {
    const clean = { ...good, processed: { raw: 1000, distinct: 1000 }, dlq: { ...good.dlq, raw: 20 } };
    const resent = { ...clean, vanished: { read: 1022, count: 0, examples: [] }, docs: 1002, distinctIds: 1002, distinctSources: 1002 };
    expect(judge(scenario('kill-processor-eos'), resent).map(formatFailure)).toEqual([
      "FAIL kill-processor-eos: exactly_once: the input topic holds each acknowledged record once (the producer's transactions): expected 1020, actual 1022",
    ]);
  });

  it('fails when the input topic holds fewer records than the producer had acknowledged', () => {
    const short = { ...good, vanished: { read: 1019, count: 0, examples: [] } };
    expect(judge(scenario('kill-processor'), short).map(formatFailure)).toEqual(['FAIL kill-processor: the input topic holds every record the producer had acknowledged: expected >= 1020, actual 1019']);
  });

  it('counts a document stored twice under different ids as a duplicate', () => {
    const twice = { ...good, docs: 1001, distinctIds: 1001 };
    expect(duplicated(twice)).toBe(1);
    expect(judge(scenario('kill-processor'), twice).map((f) => f.assertion)).toEqual(
      expect.arrayContaining(['duplicated == 0', 'documents == distinct ids', 'distinct event ids == distinct source offsets']),
    );
  });

  it('fails when a malformed record was not dead-lettered', () => {
    const f = judge(scenario('poison'), { ...good, dlq: { ...good.dlq, distinct: 19, processorDistinct: 19 }, raw: { valid: 3, poison: 6, refusedByBroker: 3 }, vanished: { read: 1029, count: 0, examples: [] }, docs: 1003, distinctIds: 1003, distinctSources: 1003 });
    expect(f.map((x) => x.assertion)).toEqual(expect.arrayContaining(['dead-lettered == malformed produced + rejected for good']));
  });

  it('under exactly_once requires every event id once in the processed topic and every dead letter once, also after SIGKILL', () => {
    expect(judge(scenario('kill-processor-eos'), good).map(formatFailure)).toEqual([
      'FAIL kill-processor-eos: exactly_once: no duplicate event id in the processed topic (read_committed): expected 1000, actual 1010',
      'FAIL kill-processor-eos: exactly_once: every dead letter once (raw == distinct source coordinates): expected 20, actual 23',
    ]);
    expect(judge(scenario('kill-processor-eos'), { ...good, processed: { raw: 1000, distinct: 1000 }, dlq: { ...good.dlq, raw: 20 } })).toEqual([]);
  });

  it('requires processed-topic duplicates to be zero only across clean shutdowns', () => {
    const term = { ...good, termExits: [{ who: 'processor#1', code: 0, ms: 900 }] };
    expect(judge(scenario('sigterm-under-load'), term).map((f) => f.assertion)).toEqual(['no duplicate event id in the processed topic across clean shutdowns']);
    expect(judge(scenario('sigterm-under-load'), { ...term, processed: { raw: 1000, distinct: 1000 } })).toEqual([]);
  });

  it('fails a SIGTERMed service that exits non-zero or too late', () => {
    const bad = { ...good, processed: { raw: 1000, distinct: 1000 }, termExits: [{ who: 'indexer#1', code: 1, ms: 500 }, { who: 'processor#1', code: 0, ms: 61_000 }] };
    expect(judge(scenario('sigterm-under-load'), bad)).toHaveLength(2);
  });

  it('checks the outage memory bound, and that it was sampled at all', () => {
    const os = scenario('opensearch-outage');
    expect(judge(os, { ...good, outageRss: 200 << 20 })).toEqual([]);
    expect(judge(os, { ...good, outageRss: 300 << 20 }).map(formatFailure)).toEqual(['FAIL opensearch-outage: indexer RSS during the outage < bound: expected < 256 MB, actual 300 MB']);
    expect(judge(os, good)).toHaveLength(1);
  });

  it('accepts OpenSearch rejections only when they match the independent expectation and 429s really happened', () => {
    const s = scenario('opensearch-rejects');
    const ok = { ...good, docs: 900, distinctIds: 900, distinctSources: 900, dlq: { raw: 120, distinct: 120, processorDistinct: 20, indexerDistinct: 100 }, expectedRejected: 100, retried429: 5 };
    expect(judge(s, ok)).toEqual([]);
    expect(judge(s, { ...ok, retried429: 0 }).map((f) => f.assertion)).toEqual(['OpenSearch really answered 429 (retried items)']);
    expect(judge(s, { ...ok, expectedRejected: 99 }).map((f) => f.assertion)).toEqual(['rejected for good == documents that conflict with the mapping']);
  });

  it('reports a service that died on its own', () => {
    expect(judge(scenario('kafka-outage'), { ...good, unexpectedExits: ['indexer#1 exit 1: boom'] })).toHaveLength(1);
  });
});

describe('judge, broker and index faults', () => {
  const killed = { ...good, brokers: 3, brokerFault: { victims: ['kafka-2'], leaderChange: { partition: 1, before: 2, after: 3, ms: 9000 }, inSync: true } };
  const rolled = { ...good, brokers: 3, brokerFault: { victims: ['kafka-1', 'kafka-2', 'kafka-3'], inSync: true } };

  it('passes a leader kill where another replica took over and the node came back in sync', () => {
    expect(judge(scenario('kill-leader'), killed)).toEqual([]);
  });

  it('fails a leader kill on one broker, without a new leader, or with replicas left out of sync', () => {
    expect(judge(scenario('kill-leader'), { ...killed, brokers: 1 }).map((f) => f.assertion)).toEqual(['runs on a cluster of three']);
    const noElection = { ...killed, brokerFault: { ...killed.brokerFault, leaderChange: { partition: 1, before: 2, after: -1, ms: 60000 } } };
    expect(judge(scenario('kill-leader'), noElection).map((f) => f.assertion)).toEqual(["another replica became leader of the killed leader's partition"]);
    expect(judge(scenario('kill-leader'), { ...killed, brokerFault: { ...killed.brokerFault, inSync: false } }).map((f) => f.assertion)).toEqual(['the restarted node is back in every in-sync replica set']);
    expect(judge(scenario('kill-leader'), { ...good, brokers: 3 }).length).toBe(2);
  });

  it('fails a rolling restart that skipped a node or left replicas out of sync', () => {
    expect(judge(scenario('rolling-restart'), rolled)).toEqual([]);
    expect(judge(scenario('rolling-restart'), { ...rolled, brokerFault: { victims: ['kafka-1', 'kafka-2'], inSync: true } }).map((f) => f.assertion)).toEqual(['every node was restarted']);
    expect(judge(scenario('rolling-restart'), { ...rolled, brokerFault: { ...rolled.brokerFault, inSync: false } }).map((f) => f.assertion)).toEqual(['every replica back in sync after each restart']);
  });

  it('fails an index block whose documents were dead-lettered, or that refused nothing', () => {
    const blocked = { ...good, retried429: 500 };
    expect(judge(scenario('opensearch-block'), blocked)).toEqual([]);
    const deadLettered = { ...blocked, docs: 990, distinctIds: 990, distinctSources: 990, dlq: { ...good.dlq, distinct: 30, indexerDistinct: 10 } };
    expect(judge(scenario('opensearch-block'), deadLettered).map((f) => f.assertion)).toContain('nothing dead-lettered because of the block');
    expect(judge(scenario('opensearch-block'), good).map((f) => f.assertion)).toEqual(['OpenSearch really refused writes (items retried after 429 cluster_block_exception)']);
  });

  it('shows the broker count and what was restarted in the table', () => {
    const row = markdownTable([{ scenario: 'kill-leader', passed: true, guarantee: 'at_least_once', measured: killed }]).split('\n')[2]!;
    expect(row).toMatch(/^\| kill-leader \| 3 \| pass \| at_least_once \|/);
    expect(row).toContain('restarted kafka-2; partition 1 leader 2 -> 3 in 9.0 s; in sync after: yes');
  });
});

describe('judge, with the analytics stage', () => {
  const exact: AnalyticsMeasured = {
    events: 1000,
    series: [
      { sizeSeconds: 10, dimension: 'all', windows: 30, raw: 1000, aggregated: 1000, differing: [], differingCount: 0 },
      { sizeSeconds: 10, dimension: 'country', windows: 90, raw: 1000, aggregated: 1000, differing: [], differingCount: 0 },
    ],
    late: 0,
    injected: ['impossible_travel u2', 'login_burst u1'],
    found: ['impossible_travel u2', 'login_burst u1'],
    alertsTopic: { raw: 3, distinct: 2 },
  };
  const analytics = { ...good, analytics: exact };

  it('passes exact aggregates and exactly the injected alerts, tolerating alerts written twice to the topic', () => {
    expect(judge(scenario('kill-analytics'), analytics)).toEqual([]);
  });

  it('fails when the stage was not measured at all', () => {
    expect(judge(scenario('kill-analytics'), good).map((f) => f.assertion)).toContain("the analytics stage's outputs were measured");
  });

  it('fails a closed window whose aggregate differs from the raw count, naming the window', () => {
    const partial = { ...exact, series: [exact.series[0]!, { ...exact.series[1]!, aggregated: 990, differing: [['2026-12-02T10:00:00.000Z|US', 40, 30]] as const, differingCount: 1 }] };
    const failures = judge(scenario('kill-analytics'), { ...good, analytics: partial }).map(formatFailure);
    expect(failures).toEqual(["FAIL kill-analytics: every closed 10 s window's aggregate == raw count (country): expected 0 differing, actual 1 differing, e.g. 2026-12-02T10:00:00.000Z|US raw 40 aggregated 30"]);
    expect(aggregatesExact(partial)).toBe(false);
  });

  it('fails when the raw windows miss events of the run (the closing events came too early)', () => {
    const short = { ...exact, series: [{ ...exact.series[0]!, raw: 990, aggregated: 990 }] };
    expect(judge(scenario('kill-analytics'), { ...good, analytics: short }).map((f) => f.assertion)).toEqual(['raw events in closed 10 s windows == valid produced']);
  });

  it('fails a missing, a duplicated and an uninjected alert', () => {
    const wrong = { ...exact, found: ['login_burst u1', 'login_burst u1', 'dead_letter_spike p0'] };
    expect(alertsMissing(wrong)).toEqual(['impossible_travel u2']);
    expect(alertsExtra(wrong)).toEqual(['login_burst u1', 'dead_letter_spike p0']);
    expect(judge(scenario('kill-analytics'), { ...good, analytics: wrong }).map(formatFailure)).toEqual([
      'FAIL kill-analytics: no injected anomaly without its alert: expected none missing, actual impossible_travel u2',
      'FAIL kill-analytics: no alert twice, none that was not injected: expected none, actual login_burst u1, dead_letter_spike p0',
    ]);
  });

  it('under exactly_once, fails an alert or an aggregate written twice to its topic', () => {
    const clean = { ...good, processed: { raw: 1000, distinct: 1000 }, dlq: { ...good.dlq, raw: 20 } };
    const twice = { ...exact, aggregatesTopic: { raw: 125, distinct: 120 } };
    expect(judge(scenario('kill-analytics-eos'), { ...clean, analytics: twice }).map(formatFailure)).toEqual([
      'FAIL kill-analytics-eos: exactly_once: every alert once in the alerts topic (raw == distinct ids): expected 2, actual 3',
      'FAIL kill-analytics-eos: exactly_once: every aggregate once in the aggregates topic (raw == distinct ids): expected 120, actual 125',
    ]);
    const once = { ...exact, alertsTopic: { raw: 2, distinct: 2 }, aggregatesTopic: { raw: 120, distinct: 120 } };
    expect(judge(scenario('kill-analytics-eos'), { ...clean, analytics: once })).toEqual([]);
    expect(judge(scenario('kill-analytics-eos'), { ...clean, analytics: { ...once, aggregatesTopic: undefined } }).map((f) => f.assertion)).toEqual([
      'exactly_once: every aggregate once in the aggregates topic (raw == distinct ids)',
    ]);
  });

  it('fails when nothing was injected, so no alert could be missed', () => {
    expect(judge(scenario('kill-analytics'), { ...good, analytics: { ...exact, injected: [], found: [] } }).map((f) => f.assertion)).toEqual(['anomalies were injected (and acknowledged)']);
  });

  it('shows both verdicts in the table', () => {
    const row = markdownTable([{ scenario: 'kill-analytics', passed: true, guarantee: 'at_least_once', measured: { ...analytics, peakRss: { ...good.peakRss, analytics: 150 << 20 } } }]).split('\n')[2]!;
    expect(row).toContain('| yes: 10s all 30, 10s country 90 | yes (2 / 2) |');
    expect(row).toContain('analytics peak RSS 150 MB; alerts topic distinct / raw 2 / 3');
    const eos = { ...analytics, analytics: { ...exact, aggregatesTopic: { raw: 120, distinct: 120 } } };
    expect(markdownTable([{ scenario: 'kill-analytics-eos', passed: true, guarantee: 'exactly_once', measured: eos }])).toContain('alerts topic distinct / raw 2 / 3; aggregates topic distinct / raw 120 / 120');
    expect(markdownTable([{ scenario: 'kill-processor', passed: true, guarantee: 'at_least_once', measured: good }])).toContain('| – | – |');
  });
});

describe('markdownTable', () => {
  it('prints one row per scenario with the counts of the issue', () => {
    const t = markdownTable([{ scenario: 'kill-processor', passed: true, guarantee: 'at_least_once', measured: good }]).split('\n');
    expect(t).toHaveLength(3);
    expect(t[2]).toContain('| kill-processor | 1 | pass | at_least_once | 1000 / 20 | 1000 | 1000 | 20 / 23 | 0 | 0 | 0 | 10 | 100 / 120 / 90 | 1.2 (1.2, –) |');
  });
});

describe('faultMoments', () => {
  it('spreads n moments over the window, in order', () => {
    const m = faultMoments(5, () => 0.5, 0.1, 0.85);
    expect(m).toHaveLength(5);
    expect([...m].sort((a, b) => a - b)).toEqual(m);
    expect(Math.min(...m)).toBeGreaterThan(0.1);
    expect(Math.max(...m)).toBeLessThan(0.85);
  });
});

describe('fitsFloat', () => {
  it('predicts what a float field accepts', () => {
    expect(fitsFloat('17.5')).toBe(true);
    expect(fitsFloat(undefined)).toBe(true);
    expect(fitsFloat('126.0.0.0')).toBe(false);
  });
});
