import type { SavedObject } from '../../../dashboards/types';
import { BUCKET_AGGS } from './aggregationTypes';
import { isRecord, parseJson } from './json';
import { isVisAgg, parseVisState, type VisAgg, type VisState } from './parseVisState';
import { isMatchAll, queryInput, translateQuery, type QueryInput } from './translateQuery';

export interface SearchBodyOptions {
  /** Restricts the search to this range of `timeField`, as the time picker does. */
  readonly timeField?: string;
  readonly timeRange?: { readonly gte: string | number; readonly lte: string | number };
  /** The interval `auto` date histograms get; Dashboards derives it from the time range. Default 1h. */
  readonly autoInterval?: string;
}

/**
 * The `_search` body Dashboards sends for a visualization: its query and filters from
 * searchSourceJSON, bucket aggregations nested in order (keyed by agg id), metric
 * aggregations inside the innermost bucket; `count` is each bucket's doc_count.
 */
export function toSearchBody(o: SavedObject, options: SearchBodyOptions = {}): Record<string, unknown> {
  const vis = parseVisState(o);
  const meta = o.attributes.kibanaSavedObjectMeta;
  const source = parseJson(isRecord(meta) ? meta.searchSourceJSON : undefined);
  const must: unknown[] = [];
  const filter: unknown[] = [];
  const mustNot: unknown[] = [];
  if (isRecord(source)) {
    if (isRecord(source.query)) must.push(translateQuery(queryInput(source.query)));
    for (const f of Array.isArray(source.filter) ? source.filter : []) {
      if (!isRecord(f) || (isRecord(f.meta) && f.meta.disabled === true)) continue;
      const { meta: fMeta, $state: _state, query, ...rest } = f;
      const clause = query ?? rest;
      (isRecord(fMeta) && fMeta.negate === true ? mustNot : filter).push(clause);
    }
  }
  if (options.timeField && options.timeRange) {
    filter.push({ range: { [options.timeField]: { ...options.timeRange, format: 'strict_date_optional_time||epoch_millis' } } });
  }
  const query = { bool: { must: must.filter((q) => !isMatchAll(q)), filter, must_not: mustNot } };
  return { size: 0, track_total_hits: true, query, aggs: aggsFromVisState(vis, options) };
}

/** The `aggs` part of the body alone. */
export function aggsFromVisState(vis: VisState, options: SearchBodyOptions = {}): Record<string, unknown> {
  const enabled = vis.aggs.filter((a) => a.enabled !== false);
  const buckets = orderBuckets(enabled.filter((a) => BUCKET_AGGS.has(a.type)));
  const metrics = enabled.filter((a) => !BUCKET_AGGS.has(a.type) && a.type !== 'count');
  const metricAggs = Object.fromEntries(metrics.map((m) => [m.id, metricAgg(m, options)]));
  let inner: Record<string, unknown> = metricAggs;
  for (const b of [...buckets].reverse()) {
    const { body, extra } = bucketAgg(b, enabled, options);
    const sub = { ...extra, ...inner };
    inner = { [b.id]: Object.keys(sub).length > 0 ? { ...body, aggs: sub } : body };
  }
  return inner;
}

/** Split-chart aggs (schema "split") come first, as Dashboards nests them outermost. */
export function orderBuckets(buckets: VisAgg[]): VisAgg[] {
  return [...buckets.filter((b) => b.schema === 'split'), ...buckets.filter((b) => b.schema !== 'split')];
}

function bucketAgg(agg: VisAgg, all: readonly VisAgg[], options: SearchBodyOptions): { body: Record<string, unknown>; extra: Record<string, unknown> } {
  const p = agg.params ?? {};
  const field = p.field as string;
  const extra: Record<string, unknown> = {};
  switch (agg.type) {
    case 'date_histogram':
      return {
        body: { date_histogram: { field, ...dateInterval(p.interval, options.autoInterval ?? '1h'), min_doc_count: minDocCount(p.min_doc_count), ...dateBounds(p.extended_bounds) } },
        extra,
      };
    case 'histogram':
      return { body: { histogram: { field, interval: Number(p.interval ?? 1), min_doc_count: minDocCount(p.min_doc_count), ...histogramBounds(p) } }, extra };
    case 'terms':
    case 'significant_terms': {
      const size = Number(p.size ?? 5);
      if (agg.type === 'significant_terms') return { body: { significant_terms: { field, size } }, extra };
      const direction = p.order === 'asc' ? 'asc' : 'desc';
      let order: Record<string, string> = { _count: direction };
      if (p.orderBy === '_key') order = { _key: direction };
      else if (p.orderBy === 'custom' && isVisAgg(p.orderAgg)) {
        if (p.orderAgg.type !== 'count') {
          extra.orderAgg = metricAgg(p.orderAgg, options);
          order = { orderAgg: direction };
        }
      } else if (typeof p.orderBy === 'string') {
        const metric = all.find((a) => a.id === p.orderBy);
        if (metric && metric.type !== 'count') {
          extra[metric.id] = metricAgg(metric, options);
          order = { [metric.id]: direction };
        }
      }
      return { body: { terms: { field, size, order, ...(p.missingBucket === true ? { missing: '__missing__' } : {}) } }, extra };
    }
    case 'range':
      return { body: { range: { field, ranges: rangesOf(p.ranges) } }, extra };
    case 'date_range':
      return { body: { date_range: { field, ranges: rangesOf(p.ranges) } }, extra };
    case 'ip_range': {
      const ranges = isRecord(p.ranges) ? p.ranges : {};
      const list = p.ipRangeType === 'mask' ? ranges.mask : ranges.fromTo;
      return { body: { ip_range: { field, ranges: Array.isArray(list) ? list : [] } }, extra };
    }
    case 'filters': {
      const filters: Record<string, unknown> = {};
      for (const f of filterInputs(agg)) {
        const label = typeof f.label === 'string' && f.label !== '' ? f.label : String(f.query || '*');
        filters[label] = translateQuery(f);
      }
      return { body: { filters: { filters } }, extra };
    }
    case 'geohash_grid':
    case 'geotile_grid':
      if (p.useGeocentroid !== false) extra.centroid = { geo_centroid: { field } };
      return { body: { [agg.type]: { field, precision: Number(p.precision ?? (agg.type === 'geohash_grid' ? 3 : 5)) } }, extra };
    default:
      throw new Error(`bucket aggregation "${agg.type}" is not supported`);
  }
}

function metricAgg(agg: VisAgg, options: SearchBodyOptions): Record<string, unknown> {
  const p = agg.params ?? {};
  const field = p.field as string;
  switch (agg.type) {
    case 'count':
      return { value_count: { field: '_index' } };
    case 'avg':
    case 'sum':
    case 'min':
    case 'max':
    case 'cardinality':
    case 'geo_centroid':
    case 'geo_bounds':
      return { [agg.type]: { field } };
    case 'std_dev':
      return { extended_stats: { field } };
    case 'median':
      return { percentiles: { field, percents: [50] } };
    case 'percentiles':
      return { percentiles: { field, percents: Array.isArray(p.percents) ? p.percents : [1, 5, 25, 50, 75, 95, 99] } };
    case 'percentile_ranks':
      return { percentile_ranks: { field, values: Array.isArray(p.values) ? p.values : [] } };
    case 'top_hits': {
      const sortField = typeof p.sortField === 'string' ? p.sortField : options.timeField;
      const sort = sortField ? [{ [sortField]: { order: p.sortOrder === 'asc' ? 'asc' : 'desc' } }] : [];
      return { top_hits: { size: Number(p.size ?? 1), sort, _source: [field] } };
    }
    default:
      throw new Error(`metric aggregation "${agg.type}" is not supported`);
  }
}

/** Dashboards' interval names to a date_histogram interval; `auto` depends on the time range. */
function dateInterval(interval: unknown, auto: string): Record<string, string> {
  const value = typeof interval === 'string' && interval !== '' ? interval : 'auto';
  if (value === 'auto') return { fixed_interval: auto };
  if (['ms', 's', 'm', 'h', 'd'].includes(value)) return { fixed_interval: `1${value}` };
  if (['w', 'M', 'q', 'y'].includes(value)) return { calendar_interval: `1${value}` };
  if (/^\d+(ms|s|m|h|d)$/.test(value)) return { fixed_interval: value };
  if (/^1[wMqy]$/.test(value)) return { calendar_interval: value };
  throw new Error(`date_histogram interval "${value}" is not supported`);
}

/** date_histogram saves a number; histogram saves "show empty buckets" as a boolean. */
function minDocCount(v: unknown): number {
  if (v === true) return 0;
  if (typeof v === 'number') return v;
  return 1;
}

/** Dashboards writes a date histogram's extended bounds only when one is set, as epoch millis. */
function dateBounds(v: unknown): Record<string, unknown> {
  if (!isRecord(v) || (v.min == null && v.max == null)) return {};
  return { extended_bounds: { min: new Date(v.min as string | number).getTime(), max: new Date(v.max as string | number).getTime() } };
}

/** A histogram's bounds count only with `has_extended_bounds` and both ends set. */
function histogramBounds(p: Record<string, unknown>): Record<string, unknown> {
  const b = p.extended_bounds;
  if (p.has_extended_bounds !== true || !isRecord(b)) return {};
  const set = (x: unknown) => typeof x === 'number' || (typeof x === 'string' && x !== '');
  return set(b.min) && set(b.max) ? { extended_bounds: { min: Number(b.min), max: Number(b.max) } } : {};
}

function rangesOf(v: unknown): Array<Record<string, unknown>> {
  if (!Array.isArray(v)) return [];
  return v.filter(isRecord).map((r) => ({
    ...(r.from !== undefined && r.from !== null ? { from: r.from } : {}),
    ...(r.to !== undefined && r.to !== null ? { to: r.to } : {}),
  }));
}

export function filterInputs(agg: VisAgg): Array<QueryInput & { label?: unknown }> {
  const filters = agg.params?.filters;
  if (!Array.isArray(filters)) return [];
  return filters.filter(isRecord).map((f) => ({ ...(isRecord(f.input) ? queryInput(f.input) : { query: '' }), label: f.label }));
}

