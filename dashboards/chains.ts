import { ANALYTICS } from '../pipeline/chains/analytics';
import { aggregatesIndexing, alertsIndexing } from '../pipeline/chains/analyticsIndexing';
import { deadLetterIndex } from '../pipeline/chains/deadLetterIndex';
import { INDEXING } from '../pipeline/chains/indexing';
import { ChainName } from '../pipeline/chains/types';
import { healthIndex } from '../pipeline/health';
import type { IndexSpec } from '../pipeline/opensearch';

/** The dashboard facet of a chain: its saved objects in dashboards/<name>.ndjson. */
export interface DashboardFacet {
  readonly name: ChainName;
  readonly title: string;
  /** Saved-objects file under dashboards/. */
  readonly file: string;
}

const dashboard = (name: ChainName, title: string): DashboardFacet => ({ name, title, file: `${name}.ndjson` });

export const DASHBOARDS: readonly DashboardFacet[] = [
  dashboard(ChainName.LOGIN, 'User logins (Fetch take-home)'),
  dashboard(ChainName.MUSIC, 'Music streaming (Eventsim)'),
  dashboard(ChainName.INTERACTIONS, 'User interactions (page visits, clicks, purchases)'),
  dashboard(ChainName.PROFILES, 'User profiles (randomuser.me)'),
];

export const AnalyticsOutput = {
  /** A chain's window aggregates (streamdex-agg-<chain>). */
  AGGREGATES: 'aggregates',
  /** Every chain's alerts (streamdex-alerts). */
  ALERTS: 'alerts',
} as const;
export type AnalyticsOutput = (typeof AnalyticsOutput)[keyof typeof AnalyticsOutput];

/**
 * A dashboard of the analytics stage's output. Its own file (one index pattern per file,
 * as for the chains), so each file is checked against exactly one index template.
 */
export interface AnalyticsDashboard {
  readonly name: string;
  readonly title: string;
  readonly file: string;
  readonly shows: AnalyticsOutput;
  /** The chain whose aggregates it shows (none for the alerts). */
  readonly chain?: ChainName;
}

export const ANALYTICS_DASHBOARDS: readonly AnalyticsDashboard[] = [
  ...ANALYTICS.map((c) => ({ name: `${c.name}-aggregates`, title: `${c.name} in 60 s windows`, file: `${c.name}-aggregates.ndjson`, shows: AnalyticsOutput.AGGREGATES, chain: c.name })),
  { name: 'alerts', title: 'Anomaly alerts', file: 'alerts.ndjson', shows: AnalyticsOutput.ALERTS },
];

/** A dashboard of the pipeline itself rather than of one chain (index streamdex-health-*). */
export interface PipelineDashboard {
  readonly name: string;
  readonly title: string;
  readonly file: string;
}

/** Pipeline health: throughput, lag, dead letters, latency, retries, memory, last seen. */
export const PIPELINE_DASHBOARDS: readonly PipelineDashboard[] = [{ name: 'health', title: 'Pipeline health', file: 'health.ndjson' }];

/**
 * What a dashboard's index pattern reads: `alias` is the pattern's title (an alias, or a
 * wildcard for daily indices), the template gives its fields.
 */
export type DashboardIndex = Pick<IndexSpec, 'alias' | 'template' | 'timeField'>;

/** A saved-objects file with the index it reads (before any namespace): what the checks and the field generator go by. */
export interface DashboardFile {
  readonly name: string;
  readonly file: string;
  readonly index: DashboardIndex;
}

const healthPattern = (): DashboardIndex => {
  const health = healthIndex();
  return { alias: `${health.prefix}-*`, template: health.template, timeField: health.timeField };
};

/**
 * Index patterns a file may hold beside its own, by title: every chain dashboard's
 * dead-letter panels, and the health dashboard's latency over every chain (the fields all
 * chain templates map alike: latency_ms, indexed_at).
 */
export function otherPatterns(): readonly DashboardIndex[] {
  return [deadLetterIndex, healthPattern(), { ...INDEXING[0]!.index, alias: INDEXING.map((c) => c.index.alias).join(',') }];
}

/** The mappings of the index template behind a pattern. */
export const mappingsOf = (index: Pick<DashboardIndex, 'template'>): unknown => (index.template.template as { mappings: unknown }).mappings;

/** The mappings of `otherPatterns()` by pattern title, as `withIndexPatternFields` takes them. */
export function otherPatternMappings(): Record<string, unknown> {
  return Object.fromEntries(otherPatterns().map((p) => [p.alias, mappingsOf(p)]));
}

export function dashboardIndex(d: DashboardFacet | AnalyticsDashboard | PipelineDashboard): DashboardIndex {
  if (PIPELINE_DASHBOARDS.includes(d as PipelineDashboard)) return healthPattern();
  if ('shows' in d) {
    if (d.shows === AnalyticsOutput.ALERTS) return alertsIndexing().index;
    const chain = ANALYTICS.find((c) => c.name === d.chain);
    if (!chain) throw new Error(`dashboard ${d.name}: no analytics facet for chain ${String(d.chain)}`);
    return aggregatesIndexing(chain).index;
  }
  const chain = INDEXING.find((c) => c.name === d.name);
  if (!chain) throw new Error(`dashboard ${d.name}: no index facet for chain ${d.name}`);
  return chain.index;
}

/** Every saved-objects file dashboards-import loads, the chains' first. */
export const DASHBOARD_FILES: readonly DashboardFile[] = [...DASHBOARDS, ...ANALYTICS_DASHBOARDS, ...PIPELINE_DASHBOARDS].map((d) => ({ name: d.name, file: d.file, index: dashboardIndex(d) }));
