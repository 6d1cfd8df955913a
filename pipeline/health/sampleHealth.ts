import type { CounterHealth, HealthRecord, LagHealth, ProcessHealth, TimingHealth } from './types';

/** One metric as prom-client's getMetricsAsJSON gives it. */
export interface MetricJson {
  readonly name: string;
  readonly type: string;
  readonly values: ReadonlyArray<{ readonly value: number; readonly labels: Readonly<Record<string, string | number>>; readonly metricName?: string }>;
}

/** Cumulative values of one sample, by series key: what the next sample subtracts. */
export type CounterTotals = ReadonlyMap<string, number>;

export interface HealthInput {
  readonly service: string;
  readonly instance: string;
  readonly nowMs: number;
  /** When the previous sample was taken (the process start for the first). */
  readonly sinceMs: number;
  readonly metrics: readonly MetricJson[];
  readonly previous: CounterTotals;
  readonly process: Omit<ProcessHealth, 'kind' | 'service' | 'instance' | 'sampled_at' | 'interval_ms'>;
  readonly lag: ReadonlyArray<Omit<LagHealth, 'kind' | 'service' | 'instance' | 'sampled_at' | 'interval_ms'>>;
}

/** Labels copied onto a counter's health record; the rest stay in Prometheus. */
const LABELS = ['chain', 'outcome', 'code', 'cause'] as const;
/** Only the project's own series: prom-client's defaults are covered by the process record. */
const OWN = 'streamdex_';

/**
 * One health sample as records: the process, each series of the service's own counters and
 * histograms as the increase since the previous sample, and the lag of each assigned
 * partition. Pure: the caller reads the registry, memory and lag, and keeps `totals` for the
 * next call. A counter that went down (a restart of the registry) counts from zero again.
 */
export function sampleHealth(input: HealthInput): { records: HealthRecord[]; totals: CounterTotals } {
  const base = {
    service: input.service,
    instance: input.instance,
    sampled_at: new Date(input.nowMs).toISOString(),
    interval_ms: Math.max(0, input.nowMs - input.sinceMs),
  };
  const seconds = base.interval_ms / 1000;
  const rate = (n: number) => (seconds > 0 ? round(n / seconds) : 0);
  const totals = new Map<string, number>();
  const delta = (key: string, value: number) => {
    totals.set(key, value);
    const before = input.previous.get(key) ?? 0;
    return value >= before ? value - before : value;
  };

  const records: HealthRecord[] = [{ kind: 'process', ...base, ...input.process }];
  for (const m of input.metrics) {
    if (!m.name.startsWith(OWN)) continue;
    if (m.type === 'counter') {
      for (const v of m.values) {
        const labels: Record<string, string> = {};
        for (const l of LABELS) if (v.labels[l] !== undefined && v.labels[l] !== '') labels[l] = String(v.labels[l]);
        const count = delta(seriesKey(m.name, v.labels), v.value);
        const r: CounterHealth = { kind: 'counter', ...base, metric: m.name, ...labels, count, per_second: rate(count), total: v.value };
        records.push(r);
      }
    } else if (m.type === 'histogram') {
      const sums = new Map<string, { sum: number; count: number }>();
      for (const v of m.values) {
        const { le: _le, ...rest } = v.labels;
        const key = seriesKey(m.name, rest);
        const entry = sums.get(key) ?? { sum: 0, count: 0 };
        if (v.metricName === `${m.name}_sum`) entry.sum = delta(`${key}:sum`, v.value);
        else if (v.metricName === `${m.name}_count`) entry.count = delta(`${key}:count`, v.value);
        sums.set(key, entry);
      }
      for (const { sum, count } of sums.values()) {
        const r: TimingHealth = { kind: 'timing', ...base, metric: m.name, count, per_second: rate(count), ...(count > 0 ? { avg: round(sum / count) } : {}) };
        records.push(r);
      }
    }
  }
  for (const l of input.lag) records.push({ kind: 'lag', ...base, ...l });
  return { records, totals };
}

function seriesKey(name: string, labels: Readonly<Record<string, string | number>>): string {
  return `${name}{${Object.keys(labels)
    .filter((k) => k !== 'service')
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(',')}}`;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
