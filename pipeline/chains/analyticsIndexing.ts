import { ANALYTICS, ALERTS_TOPIC, selectAnalytics } from './analytics';
import { double, geoPoint, integer, keyword, long, indexTemplate } from './mappings';
import type { IndexSpec } from '../opensearch';
import type { AnalyticsFacet, OutputIndexFacet } from './types';

/** Where the analytics stage's outputs go when OpenSearch refuses them for good. */
export const ANALYTICS_DEAD_LETTER_TOPIC = 'analytics-dlq';
export const ALERTS_ALIAS = 'streamdex-alerts';

const windowFields = { properties: { size_seconds: integer, start: { type: 'date' }, end: { type: 'date' } } } as const;
const point = { properties: { event_id: keyword, time: { type: 'date' }, location: geoPoint, place: keyword } } as const;

function index(alias: string, properties: Record<string, unknown>, timeField: string): IndexSpec {
  return { alias, initialIndex: `${alias}-000001`, templateName: alias, timeField, template: indexTemplate(`${alias}-*`, properties) };
}

/** A chain's window aggregates (`chain` without a namespace; `ns` is applied here): alias streamdex-agg-<chain> (not under streamdex-<chain>-*, which the chain's own template covers). */
export function aggregatesIndexing(chain: AnalyticsFacet, ns = ''): OutputIndexFacet {
  const sums = Object.fromEntries(Object.keys(chain.analytics.sums).map((k) => [k, double]));
  return {
    name: chain.name,
    topics: { inputs: [], output: ns + chain.analytics.aggregatesTopic, deadLetter: ns + ANALYTICS_DEAD_LETTER_TOPIC },
    index: withNamespace(
      index(
        `streamdex-agg-${chain.name}`,
        {
          aggregate_id: keyword,
          chain: keyword,
          partition: integer,
          window: windowFields,
          dimension: keyword,
          value: keyword,
          count: long,
          users: long,
          sum: { properties: sums },
          late_events: long,
        },
        'window.start',
      ),
      ns,
    ),
  };
}

export function alertsIndexing(ns = ''): OutputIndexFacet {
  return {
    name: 'alerts',
    topics: { inputs: [], output: ns + ALERTS_TOPIC, deadLetter: ns + ANALYTICS_DEAD_LETTER_TOPIC },
    index: withNamespace(
      index(
        ALERTS_ALIAS,
        {
          alert_id: keyword,
          rule: keyword,
          chain: keyword,
          key: keyword,
          partition: integer,
          window: windowFields,
          threshold: double,
          evidence: { properties: { count: long, event_ids: keyword, distance_km: double, speed_kmh: double, total: long, share_percent: double, from: point, to: point } },
        },
        'window.end',
      ),
      ns,
    ),
  };
}

/** What the indexer indexes of the analytics stage for the chains named (CHAINS): their aggregates, and the alerts. */
export function selectAnalyticsIndexing(names: readonly string[], ns = ''): OutputIndexFacet[] {
  return [...selectAnalytics(names).map((c) => aggregatesIndexing(c, ns)), alertsIndexing(ns)];
}

export const ANALYTICS_INDEXING: readonly OutputIndexFacet[] = [...ANALYTICS.map((c) => aggregatesIndexing(c)), alertsIndexing()];

function withNamespace(spec: IndexSpec, ns: string): IndexSpec {
  if (!ns) return spec;
  const template = spec.template as { index_patterns: string[] };
  return { ...spec, alias: ns + spec.alias, initialIndex: ns + spec.initialIndex, templateName: ns + spec.templateName, template: { ...spec.template, index_patterns: template.index_patterns.map((p) => ns + p) } };
}
