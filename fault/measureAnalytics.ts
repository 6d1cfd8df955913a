import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@opensearch-project/opensearch';
import { aggregatedWindowCounts, compareWindowCounts, rawWindowCounts, readTopic, type ProducerSummary } from '../harness';
import { ALERTS_TOPIC } from '../pipeline/chains/analytics';
import { aggregatesIndexing, alertsIndexing } from '../pipeline/chains/analyticsIndexing';
import { loginAnalytics } from '../pipeline/chains/login/analytics';
import { aggregatesExact, alertsExact, type AnalyticsMeasured } from './verdict';

/** The dimension compared value by value besides `all` (geolocated by the processor, so never trivially one value). */
const DIMENSION = { name: 'country', rawField: 'geo.country' } as const;
const SIZES_SECONDS = [10, 60] as const;

export interface AnalyticsTarget {
  readonly os: Client;
  readonly brokers: string;
  readonly ns: string;
  readonly partitions: number;
  /** The raw login index (alias) of the scenario. */
  readonly rawIndex: string;
  /** Windows ending at or before this were closed by the later events sent after the run. */
  readonly closedBeforeMs: number;
  /** The run proper: its valid events and the anomalies it injected. */
  readonly summary: ProducerSummary;
}

/**
 * The analytics stage's outputs against the truth: every closed window's aggregate (10 s
 * and 1 min, in total and per country) against a count over the raw index, and the alerts
 * index against the producer's injected anomalies. Waits until they agree or `deadlineMs`
 * passes (the indexer is still indexing the last windows), then measures once more after a
 * pause, so a replayed window written late would show.
 */
export async function measureAnalytics(t: AnalyticsTarget, deadlineMs: number): Promise<AnalyticsMeasured> {
  let m = await measureOnce(t);
  while (!(aggregatesExact(m) && alertsExact(m)) && Date.now() < deadlineMs) {
    await sleep(2000);
    m = await measureOnce(t);
  }
  await sleep(3000);
  const alertsTopic = await topicIds(t, t.ns + ALERTS_TOPIC, 'alert_id');
  const aggregatesTopic = await topicIds(t, t.ns + loginAnalytics.analytics.aggregatesTopic, 'aggregate_id');
  return { ...(await measureOnce(t)), alertsTopic, aggregatesTopic };
}

/** An output topic read to its end (read_committed): its records, and the distinct ids among them. */
async function topicIds(t: AnalyticsTarget, topic: string, idField: 'alert_id' | 'aggregate_id'): Promise<AnalyticsMeasured['alertsTopic']> {
  const ids = new Set<string>();
  const raw = await readTopic(t.brokers, topic, t.partitions, (msg) => {
    if (msg.value) ids.add((JSON.parse(msg.value.toString('utf8')) as Record<typeof idField, string>)[idField]);
  });
  return { raw, distinct: ids.size };
}

async function measureOnce(t: AnalyticsTarget): Promise<AnalyticsMeasured> {
  const aggregates = aggregatesIndexing(loginAnalytics, t.ns).index.alias;
  const alerts = alertsIndexing(t.ns).index.alias;
  const timeField = loginAnalytics.analytics.eventTimeField;
  await t.os.indices.refresh({ index: `${t.ns}*` }).catch(() => undefined);
  const series: AnalyticsMeasured['series'][number][] = [];
  for (const sizeSeconds of SIZES_SECONDS) {
    for (const dim of [undefined, DIMENSION]) {
      const raw = await rawWindowCounts(t.os, { index: t.rawIndex, timeField, sizeSeconds, beforeMs: t.closedBeforeMs, ...(dim ? { field: dim.rawField } : {}) });
      const agg = await aggregatedWindowCounts(t.os, { index: aggregates, sizeSeconds, beforeMs: t.closedBeforeMs, ...(dim ? { dimension: dim.name } : {}) });
      series.push({ sizeSeconds, dimension: dim?.name ?? 'all', ...compareWindowCounts(raw, agg) });
    }
  }
  const lateR = await t.os.search({ index: aggregates, body: { size: 0, aggs: { l: { sum: { field: 'late_events' } } } } }).catch(() => undefined);
  const late = (lateR?.body as unknown as { aggregations?: { l: { value: number } } } | undefined)?.aggregations?.l.value ?? 0;
  const foundR = await t.os.search({ index: alerts, body: { size: 10_000, query: { match_all: {} } } }).catch(() => undefined);
  const hits = (foundR?.body as unknown as { hits?: { hits: Array<{ _source: { rule: string; key: string } }> } } | undefined)?.hits?.hits ?? [];
  return {
    events: t.summary.acked.valid,
    series,
    late,
    injected: (t.summary.injected ?? []).map((a) => `${a.rule} ${a.key}`).sort(),
    found: hits.map((h) => `${h._source.rule} ${h._source.key}`).sort(),
    alertsTopic: { raw: 0, distinct: 0 },
    aggregatesTopic: { raw: 0, distinct: 0 },
  };
}
