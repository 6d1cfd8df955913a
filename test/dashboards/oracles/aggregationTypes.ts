// What Dashboards' standard visualizations accept, as far as these oracles check it.
export const NUMERIC = ['long', 'integer', 'short', 'byte', 'double', 'float', 'half_float', 'scaled_float', 'unsigned_long'];
export const DATE = ['date', 'date_nanos'];
const TERM_LIKE = ['keyword', 'constant_keyword', 'wildcard', 'version', 'boolean', 'ip', ...NUMERIC, ...DATE];

/** Mapping types each Dashboards aggregation accepts for `params.field`. */
export const AGG_FIELD_TYPES: Readonly<Record<string, readonly string[]>> = {
  terms: TERM_LIKE,
  significant_terms: TERM_LIKE,
  cardinality: TERM_LIKE,
  top_hits: [...TERM_LIKE, 'geo_point'],
  date_histogram: DATE,
  date_range: DATE,
  histogram: NUMERIC,
  range: NUMERIC,
  ip_range: ['ip'],
  geohash_grid: ['geo_point'],
  geotile_grid: ['geo_point'],
  geo_centroid: ['geo_point'],
  geo_bounds: ['geo_point'],
  avg: NUMERIC,
  sum: NUMERIC,
  std_dev: NUMERIC,
  min: [...NUMERIC, ...DATE],
  max: [...NUMERIC, ...DATE],
  median: [...NUMERIC, ...DATE],
  percentiles: [...NUMERIC, ...DATE],
  percentile_ranks: NUMERIC,
};

/** Aggregations that need no field. */
export const FIELDLESS = new Set(['count', 'filters']);

export const BUCKET_AGGS = new Set([
  'terms',
  'significant_terms',
  'date_histogram',
  'date_range',
  'histogram',
  'range',
  'ip_range',
  'filters',
  'geohash_grid',
  'geotile_grid',
]);

/** Visualization types whose aggregations these checks and `toSearchBody` understand. */
export const AGG_VIS_TYPES = new Set(['area', 'line', 'histogram', 'horizontal_bar', 'pie', 'metric', 'table', 'tile_map', 'region_map', 'heatmap', 'gauge', 'goal', 'tagcloud']);
/** ...and those without aggregations. */
export const PLAIN_VIS_TYPES = new Set(['markdown', 'input_control_vis']);
