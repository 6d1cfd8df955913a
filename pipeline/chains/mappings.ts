import { INDEXED_AT_PIPELINE, type IndexSpec } from '../opensearch';
import type { ChainName } from './types';

/** Field mapping shorthands shared by the chains' index templates. */
export const keyword = { type: 'keyword', ignore_above: 256 } as const;
export const longKeyword = { type: 'keyword', ignore_above: 1024 } as const;
export const date = { type: 'date' } as const;
export const bool = { type: 'boolean' } as const;
export const integer = { type: 'integer' } as const;
export const long = { type: 'long' } as const;
export const short = { type: 'short' } as const;
export const double = { type: 'double' } as const;
export const geoPoint = { type: 'geo_point' } as const;

export const timeFacetFields = {
  hour_of_day: short,
  weekday: short,
  weekday_name: keyword,
  is_weekend: bool,
} as const;

export const sourceFields = {
  properties: { topic: keyword, partition: integer, offset: long, timestamp: { type: 'date', format: 'epoch_millis' } },
} as const;

export const geoFields = {
  properties: { country: keyword, region: keyword, city: keyword, timezone: keyword, location: geoPoint },
} as const;

export const userAgentFields = {
  properties: {
    original: longKeyword,
    browser: keyword,
    browser_version: keyword,
    os: keyword,
    os_version: keyword,
    device_type: keyword,
    device_type_source: keyword,
    agent_class: keyword,
    device_vendor: keyword,
    device_model: keyword,
  },
} as const;

/**
 * Data quality of one document, the same on every chain: `defects` are codes of fields kept
 * but not enriched, `normalized` the normalisations applied, `dialect` the source shape the
 * event came in. Absent arrays mean none (see fieldDefects.ts).
 */
export const qualityMapping = {
  properties: { defects: keyword, normalized: keyword, dialect: keyword },
} as const;

/**
 * An index template for one chain. `dynamic: strict` makes the template the contract:
 * a document with a field nobody mapped is rejected (and dead-lettered) instead of
 * silently growing the mapping.
 */
export function indexTemplate(pattern: string, properties: Record<string, unknown>, refreshInterval = '1s') {
  return {
    index_patterns: [pattern],
    priority: 100,
    template: {
      settings: {
        number_of_shards: 1,
        number_of_replicas: 0,
        refresh_interval: refreshInterval,
        // Stamps `indexed_at` and `latency_ms`, the end of the latency clock (see INDEXED_AT_PIPELINE).
        default_pipeline: INDEXED_AT_PIPELINE.id,
      },
      mappings: { dynamic: 'strict', properties: { ...properties, indexed_at: { type: 'date' }, latency_ms: { type: 'long' } } },
    },
    _meta: { managed_by: 'streamdex' },
  } as const;
}

/**
 * A chain's index, named after the chain: alias `streamdex-<name>`, the same template
 * name, first index `streamdex-<name>-000001`, the template covering `streamdex-<name>-*`.
 */
export function chainIndex(name: ChainName, properties: Record<string, unknown>, timeField = 'event_time'): IndexSpec {
  const alias = `streamdex-${name}`;
  return { alias, initialIndex: `${alias}-000001`, templateName: alias, timeField, template: indexTemplate(`${alias}-*`, properties) };
}
