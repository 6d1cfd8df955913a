import { Counter, Histogram, Registry } from 'prom-client';
import { sampleHealth, type CounterTotals, type HealthInput, type MetricJson } from '../../../pipeline/health';
import { createLogger, lastLoggedError } from '../../../pipeline/logger';

const PROCESS: HealthInput['process'] = {
  uptime_s: 12,
  rss_bytes: 100,
  heap_used_bytes: 50,
  heap_total_bytes: 60,
  event_loop_delay_p99_ms: 1.5,
  event_loop_delay_max_ms: 3,
  in_flight: 7,
};

async function sample(registry: Registry, previous: CounterTotals, sinceMs: number, nowMs: number, lag: HealthInput['lag'] = []) {
  const metrics = (await registry.getMetricsAsJSON()) as unknown as MetricJson[];
  return sampleHealth({ service: 'consumer-indexer', instance: 'host-1', nowMs, sinceMs, metrics, previous, process: PROCESS, lag });
}

describe('sampleHealth', () => {
  const T0 = Date.UTC(2026, 11, 1, 12, 0, 0);

  it('gives each counter series as the increase since the previous sample, so the samples sum to the total', async () => {
    const registry = new Registry();
    registry.setDefaultLabels({ service: 'consumer-indexer' });
    const records = new Counter({ name: 'streamdex_indexer_records_total', help: 'h', labelNames: ['chain', 'outcome', 'code'], registers: [registry] });
    new Counter({ name: 'process_cpu_seconds_total', help: 'not ours', registers: [registry] }).inc(5);
    records.inc({ chain: 'login', outcome: 'indexed', code: '' }, 30);
    records.inc({ chain: 'login', outcome: 'dead_letter', code: 'index_rejected' }, 2);
    const first = await sample(registry, new Map(), T0, T0 + 5000);
    records.inc({ chain: 'login', outcome: 'indexed', code: '' }, 20);
    const second = await sample(registry, first.totals, T0 + 5000, T0 + 10_000);

    const counters = (r: typeof first) => r.records.filter((x) => x.kind === 'counter');
    expect(counters(first)).toEqual([
      expect.objectContaining({ metric: 'streamdex_indexer_records_total', chain: 'login', outcome: 'indexed', count: 30, per_second: 6, total: 30, interval_ms: 5000 }),
      expect.objectContaining({ outcome: 'dead_letter', code: 'index_rejected', count: 2, per_second: 0.4 }),
    ]);
    expect(counters(second).map((c) => [c.kind === 'counter' && c.outcome, c.kind === 'counter' && c.count])).toEqual([
      ['indexed', 20],
      ['dead_letter', 0],
    ]);
    // Empty labels are left out, other metrics (prom-client's defaults) too.
    expect(counters(first)[0]).not.toHaveProperty('code');
    expect(first.records.some((r) => r.kind === 'counter' && r.metric === 'process_cpu_seconds_total')).toBe(false);
  });

  it('starts a counter that went down again from zero instead of reporting a negative increase', async () => {
    const registry = new Registry();
    const c = new Counter({ name: 'streamdex_x_total', help: 'h', registers: [registry] });
    c.inc(3);
    const { records } = await sample(registry, new Map([['streamdex_x_total{}', 10]]), T0, T0 + 1000);
    expect(records.find((r) => r.kind === 'counter')).toMatchObject({ count: 3 });
  });

  it('gives a histogram as observations and their mean over the interval', async () => {
    const registry = new Registry();
    const h = new Histogram({ name: 'streamdex_indexer_bulk_request_seconds', help: 'h', buckets: [0.1, 1], registers: [registry] });
    h.observe(0.2);
    h.observe(0.4);
    const first = await sample(registry, new Map(), T0, T0 + 2000);
    expect(first.records.find((r) => r.kind === 'timing')).toEqual(expect.objectContaining({ metric: 'streamdex_indexer_bulk_request_seconds', count: 2, per_second: 1, avg: 0.3 }));
    const second = await sample(registry, first.totals, T0 + 2000, T0 + 4000);
    const idle = second.records.find((r) => r.kind === 'timing')!;
    expect(idle).toMatchObject({ count: 0 });
    expect(idle).not.toHaveProperty('avg');
  });

  it('always has one process record first, and one lag record per partition', async () => {
    const lag = [{ group: 'g', topic: 't', partition: 1, committed_offset: 5, high_watermark: 9, lag: 4 }];
    const { records } = await sample(new Registry(), new Map(), T0, T0 + 1000, lag);
    expect(records[0]).toEqual({ kind: 'process', service: 'consumer-indexer', instance: 'host-1', sampled_at: new Date(T0 + 1000).toISOString(), interval_ms: 1000, ...PROCESS });
    expect(records.filter((r) => r.kind === 'lag')).toEqual([expect.objectContaining({ kind: 'lag', topic: 't', partition: 1, lag: 4, sampled_at: new Date(T0 + 1000).toISOString() })]);
  });
});

describe('lastLoggedError', () => {
  it('keeps the last error or fatal line of a logger and its children, with the error message', () => {
    // A level that writes errors: a line that is not logged is not kept either.
    const logger = createLogger('test', 'error');
    expect(lastLoggedError(logger)).toBeUndefined();
    logger.warn('only a warning');
    expect(lastLoggedError(logger)).toBeUndefined();
    logger.child({ part: 'bulk' }).error({ err: new Error('connect ECONNREFUSED') }, 'bulk request failed');
    expect(lastLoggedError(logger)).toEqual({ message: 'bulk request failed: connect ECONNREFUSED', atMs: expect.any(Number) });
  });
});
