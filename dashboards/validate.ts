/**
 * Checks for the saved-objects files in this folder (OpenSearch Dashboards exports, one
 * JSON object per line) against the index template of the chain they show, and the
 * translation of a visualization's aggregations into the `_search` body Dashboards would
 * send, so tests can run a dashboard's queries without a Dashboards server.
 *
 * Pure: no I/O except reading a file in `loadSavedObjects`. Every check returns a list of
 * problems (empty when all is well), each naming the object and what to fix.
 */
import { readFileSync } from 'node:fs';
import type { IndexSpec } from '../pipeline/chains/types';

// ---------------------------------------------------------------------------------------
// Saved objects
// ---------------------------------------------------------------------------------------

export interface SavedObjectReference {
  readonly id: string;
  readonly name: string;
  readonly type: string;
}

export interface SavedObject {
  readonly id: string;
  readonly type: string;
  readonly attributes: Record<string, unknown>;
  readonly references: readonly SavedObjectReference[];
  readonly migrationVersion?: Record<string, string>;
  /** 1-based line of the object in its file, for messages. */
  readonly line?: number;
}

/**
 * Parses an ndjson export. Blank lines and the summary line an export ends with
 * (`{"exportedCount":...}`) are skipped, as the import API does; anything else that is not
 * a saved object throws, naming the line.
 */
export function parseNdjson(text: string, source = 'ndjson'): SavedObject[] {
  const objects: SavedObject[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const where = `${source}:${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw new Error(`${where}: not valid JSON (${(err as Error).message})`);
    }
    if (!isRecord(value)) throw new Error(`${where}: expected a JSON object`);
    if ('exportedCount' in value) return;
    const { id, type, attributes, references } = value;
    if (typeof id !== 'string' || id === '') throw new Error(`${where}: "id" must be a non-empty string`);
    if (typeof type !== 'string' || type === '') throw new Error(`${where}: "type" must be a non-empty string`);
    if (!isRecord(attributes)) throw new Error(`${where}: "attributes" must be an object`);
    if (!Array.isArray(references) || !references.every(isReference)) {
      throw new Error(`${where}: "references" must be an array of {id, name, type}`);
    }
    const migrationVersion = isRecord(value.migrationVersion) ? (value.migrationVersion as Record<string, string>) : undefined;
    objects.push({ id, type, attributes, references, line: i + 1, ...(migrationVersion ? { migrationVersion } : {}) });
  });
  return objects;
}

export function loadSavedObjects(file: string): SavedObject[] {
  return parseNdjson(readFileSync(file, 'utf8'), file);
}

// ---------------------------------------------------------------------------------------
// Fields of an index template
// ---------------------------------------------------------------------------------------

export interface FieldInfo {
  /** Mapping type: keyword, date, geo_point, text, ... */
  readonly type: string;
  /** Whether aggregations can read it (doc values, or fielddata for text). */
  readonly aggregatable: boolean;
}

export type FieldCatalog = ReadonlyMap<string, FieldInfo>;

/**
 * Flattens `mappings.properties` into dotted paths: objects are walked, multi-fields
 * appear as `field.sub`, fields inside `nested` objects are listed but not aggregatable
 * (standard visualizations cannot aggregate them).
 */
export function mappingFields(mappings: unknown): Map<string, FieldInfo> {
  const fields = new Map<string, FieldInfo>();
  const walk = (properties: unknown, prefix: string, inNested: boolean): void => {
    if (!isRecord(properties)) return;
    for (const [name, def] of Object.entries(properties)) {
      if (!isRecord(def)) continue;
      const path = `${prefix}${name}`;
      if (isRecord(def.properties) || def.type === 'object' || def.type === 'nested') {
        if (def.enabled === false) continue;
        walk(def.properties, `${path}.`, inNested || def.type === 'nested');
        continue;
      }
      const type = typeof def.type === 'string' ? def.type : 'object';
      fields.set(path, { type, aggregatable: !inNested && isAggregatable(type, def) });
      if (isRecord(def.fields)) {
        for (const [sub, subDef] of Object.entries(def.fields)) {
          if (!isRecord(subDef) || typeof subDef.type !== 'string') continue;
          fields.set(`${path}.${sub}`, { type: subDef.type, aggregatable: !inNested && isAggregatable(subDef.type, subDef) });
        }
      }
    }
  };
  walk(isRecord(mappings) ? mappings.properties : undefined, '', false);
  return fields;
}

/** The fields of a chain's index, from the mappings in its index template. */
export function indexFields(index: Pick<IndexSpec, 'template'>): Map<string, FieldInfo> {
  const template = index.template.template;
  return mappingFields(isRecord(template) ? template.mappings : undefined);
}

function isAggregatable(type: string, def: Record<string, unknown>): boolean {
  if (type === 'text' || type === 'match_only_text') return def.fielddata === true;
  if (NOT_AGGREGATABLE.has(type)) return false;
  return def.doc_values !== false;
}

const NOT_AGGREGATABLE = new Set(['binary', 'flat_object', 'object', 'nested', 'knn_vector', 'search_as_you_type', 'completion']);

const NUMERIC = ['long', 'integer', 'short', 'byte', 'double', 'float', 'half_float', 'scaled_float', 'unsigned_long'];
const DATE = ['date', 'date_nanos'];
const TERM_LIKE = ['keyword', 'constant_keyword', 'wildcard', 'version', 'boolean', 'ip', ...NUMERIC, ...DATE];

/** Mapping types each Dashboards aggregation accepts for `params.field`. */
const AGG_FIELD_TYPES: Readonly<Record<string, readonly string[]>> = {
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
const FIELDLESS = new Set(['count', 'filters']);

const BUCKET_AGGS = new Set([
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
const AGG_VIS_TYPES = new Set(['area', 'line', 'histogram', 'horizontal_bar', 'pie', 'metric', 'table', 'tile_map', 'region_map', 'heatmap', 'gauge', 'goal', 'tagcloud']);
/** ...and those without aggregations. */
const PLAIN_VIS_TYPES = new Set(['markdown', 'input_control_vis']);

// ---------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------

export interface IndexTarget {
  /** Fields of the index the dashboards read (`indexFields(chain.index)`). */
  readonly fields: FieldCatalog;
  /** Expected index-pattern title (the chain's alias), when one is expected. */
  readonly alias?: string;
  /** Expected time field of the index pattern. */
  readonly timeField?: string;
}

/** Every check of one file's objects; an empty list means the file is sound. */
export function validateSavedObjects(objects: readonly SavedObject[], target: IndexTarget): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const o of objects) {
    const key = `${o.type}:${o.id}`;
    if (seen.has(key)) problems.push(`${describe(o)}: duplicate id (another ${o.type} has id "${o.id}")`);
    seen.add(key);
  }
  problems.push(...checkReferences(objects));
  for (const o of objects) {
    if (o.type === 'index-pattern') problems.push(...checkIndexPattern(o, target));
    else if (o.type === 'visualization') problems.push(...checkVisualization(o, objects, target.fields));
    else if (o.type === 'dashboard') problems.push(...checkDashboard(o));
    else if (o.type === 'search') problems.push(...checkSearchSource(o, objects).problems);
  }
  return problems;
}

/** Every reference names an object of that type and id in the same file. */
export function checkReferences(objects: readonly SavedObject[]): string[] {
  const ids = new Set(objects.map((o) => `${o.type}:${o.id}`));
  const problems: string[] = [];
  for (const o of objects) {
    const names = new Set<string>();
    for (const ref of o.references) {
      if (names.has(ref.name)) problems.push(`${describe(o)}: two references are named "${ref.name}"`);
      names.add(ref.name);
      if (!ids.has(`${ref.type}:${ref.id}`)) {
        problems.push(`${describe(o)}: reference "${ref.name}" points at ${ref.type} "${ref.id}", which is not in the file`);
      }
    }
  }
  return problems;
}

/** Visualizations of the file that no dashboard in it shows (usually a forgotten panel). */
export function dashboardCoverage(objects: readonly SavedObject[]): { readonly notOnAnyDashboard: string[] } {
  const shown = new Set(
    objects.filter((o) => o.type === 'dashboard').flatMap((d) => d.references.filter((r) => r.type === 'visualization').map((r) => r.id)),
  );
  return { notOnAnyDashboard: objects.filter((o) => o.type === 'visualization' && !shown.has(o.id)).map((o) => o.id) };
}

function checkIndexPattern(o: SavedObject, target: IndexTarget): string[] {
  const problems: string[] = [];
  const { title, timeFieldName, fields } = o.attributes;
  if (typeof title !== 'string' || title === '') problems.push(`${describe(o)}: attributes.title must name the index or alias`);
  else if (target.alias !== undefined && title !== target.alias) {
    problems.push(`${describe(o)}: title "${title}" is not the chain's alias "${target.alias}"`);
  }
  if (timeFieldName !== undefined) {
    const field = typeof timeFieldName === 'string' ? target.fields.get(timeFieldName) : undefined;
    if (!field) problems.push(`${describe(o)}: time field ${JSON.stringify(timeFieldName)} is not in the index template`);
    else if (!DATE.includes(field.type)) problems.push(`${describe(o)}: time field "${timeFieldName}" is ${field.type}, not a date`);
  }
  if (target.timeField !== undefined && timeFieldName !== target.timeField) {
    problems.push(`${describe(o)}: time field ${JSON.stringify(timeFieldName)} is not the chain's time field "${target.timeField}"`);
  }
  if (fields !== undefined && !Array.isArray(parseJson(fields))) problems.push(`${describe(o)}: attributes.fields must be a JSON array string`);
  return problems;
}

function checkVisualization(o: SavedObject, objects: readonly SavedObject[], fields: FieldCatalog): string[] {
  const problems: string[] = [];
  if (typeof o.attributes.title !== 'string' || o.attributes.title === '') problems.push(`${describe(o)}: attributes.title is missing`);
  if (o.attributes.uiStateJSON !== undefined && !isRecord(parseJson(o.attributes.uiStateJSON))) {
    problems.push(`${describe(o)}: uiStateJSON is not a JSON object string`);
  }
  let vis: VisState;
  try {
    vis = parseVisState(o);
  } catch (err) {
    return [...problems, `${describe(o)}: ${(err as Error).message}`];
  }
  const source = checkSearchSource(o, objects);
  problems.push(...source.problems);
  problems.push(...checkKuery(o, source.query, fields));

  if (PLAIN_VIS_TYPES.has(vis.type)) {
    if (vis.type === 'input_control_vis') problems.push(...checkControls(o, vis, fields));
    return problems;
  }
  if (!AGG_VIS_TYPES.has(vis.type)) {
    return [...problems, `${describe(o)}: visualization type "${vis.type}" is not one dashboards/validate.ts can check; use a standard type`];
  }
  if (!source.indexPattern) problems.push(`${describe(o)}: has aggregations but no index pattern (searchSourceJSON.indexRefName)`);

  const enabled = vis.aggs.filter((a) => a.enabled !== false);
  if (enabled.length === 0) problems.push(`${describe(o)}: has no enabled aggregations`);
  const ids = new Set<string>();
  for (const agg of enabled) {
    const at = `${describe(o)}: agg ${agg.id} (${agg.type})`;
    if (ids.has(agg.id)) problems.push(`${at}: duplicate agg id`);
    ids.add(agg.id);
    if (!FIELDLESS.has(agg.type) && !(agg.type in AGG_FIELD_TYPES)) {
      problems.push(`${at}: aggregation type not supported by dashboards/validate.ts`);
      continue;
    }
    problems.push(...checkAggField(at, agg, fields));
    if (agg.type === 'filters') {
      for (const f of filterInputs(agg)) problems.push(...checkKuery(o, f, fields, `${at}: filter ${JSON.stringify(f.query)}`));
    }
    if (agg.type === 'terms' || agg.type === 'significant_terms') {
      const orderBy = agg.params?.orderBy;
      if (orderBy !== undefined && orderBy !== '_key' && orderBy !== 'custom') {
        const target = enabled.find((a) => a.id === orderBy);
        if (!target || BUCKET_AGGS.has(target.type)) problems.push(`${at}: orderBy "${String(orderBy)}" is not a metric agg of this visualization`);
      }
      if (orderBy === 'custom') {
        const orderAgg = agg.params?.orderAgg;
        if (!isVisAgg(orderAgg)) problems.push(`${at}: orderBy "custom" needs params.orderAgg`);
        else problems.push(...checkAggField(`${at}: orderAgg`, orderAgg, fields));
      }
    }
  }
  if (vis.type === 'tile_map') {
    if (!enabled.some((a) => a.type === 'geohash_grid')) problems.push(`${describe(o)}: a coordinate map needs a geohash_grid agg`);
    if (!isRecord(vis.params.wms)) problems.push(`${describe(o)}: tile_map params.wms is missing (Dashboards reads params.wms.selectedTmsLayer)`);
  }
  if (enabled.length > 0 && !enabled.some((a) => !BUCKET_AGGS.has(a.type))) problems.push(`${describe(o)}: needs at least one metric agg (e.g. count)`);
  return problems;
}

function checkAggField(at: string, agg: VisAgg, fields: FieldCatalog): string[] {
  if (FIELDLESS.has(agg.type)) return [];
  const accepted = AGG_FIELD_TYPES[agg.type];
  if (!accepted) return [`${at}: aggregation type not supported by dashboards/validate.ts`];
  const name = agg.params?.field;
  if (typeof name !== 'string' || name === '') return [`${at}: params.field is missing`];
  const field = fields.get(name);
  if (!field) return [`${at}: field "${name}" is not in the index template`];
  if (!field.aggregatable) return [`${at}: field "${name}" (${field.type}) cannot be aggregated`];
  if (!accepted.includes(field.type)) return [`${at}: field "${name}" is ${field.type}; ${agg.type} needs ${[...new Set(accepted)].join(', ')}`];
  return [];
}

function checkControls(o: SavedObject, vis: VisState, fields: FieldCatalog): string[] {
  const controls = Array.isArray(vis.params.controls) ? vis.params.controls : [];
  const problems: string[] = [];
  for (const c of controls) {
    if (!isRecord(c)) continue;
    const ref = c.indexPatternRefName;
    if (typeof ref !== 'string' || !o.references.some((r) => r.name === ref && r.type === 'index-pattern')) {
      problems.push(`${describe(o)}: control "${String(c.label)}" has no index-pattern reference`);
    }
    const field = typeof c.fieldName === 'string' ? fields.get(c.fieldName) : undefined;
    if (!field) problems.push(`${describe(o)}: control field ${JSON.stringify(c.fieldName)} is not in the index template`);
    else if (!field.aggregatable) problems.push(`${describe(o)}: control field "${String(c.fieldName)}" cannot be aggregated`);
  }
  return problems;
}

interface SearchSourceCheck {
  readonly problems: string[];
  readonly indexPattern?: SavedObject;
  readonly query?: QueryInput;
}

/** The searchSourceJSON of a visualization or saved search: parses, and its index reference resolves. */
function checkSearchSource(o: SavedObject, objects: readonly SavedObject[]): SearchSourceCheck {
  const problems: string[] = [];
  const meta = o.attributes.kibanaSavedObjectMeta;
  const raw = isRecord(meta) ? meta.searchSourceJSON : undefined;
  const source = raw === undefined ? {} : parseJson(raw);
  if (!isRecord(source)) return { problems: [`${describe(o)}: kibanaSavedObjectMeta.searchSourceJSON is not a JSON object string`] };
  if (typeof source.index === 'string') {
    problems.push(`${describe(o)}: searchSourceJSON.index is the pre-7.0 form; use indexRefName and a reference`);
  }
  let indexPattern: SavedObject | undefined;
  if (source.indexRefName !== undefined) {
    const ref = o.references.find((r) => r.name === source.indexRefName);
    if (!ref) problems.push(`${describe(o)}: indexRefName "${String(source.indexRefName)}" has no reference of that name`);
    else if (ref.type !== 'index-pattern') problems.push(`${describe(o)}: indexRefName points at a ${ref.type}, not an index-pattern`);
    else indexPattern = objects.find((x) => x.type === 'index-pattern' && x.id === ref.id);
  }
  const searchRef = o.attributes.savedSearchRefName;
  if (typeof searchRef === 'string') {
    const ref = o.references.find((r) => r.name === searchRef && r.type === 'search');
    const search = ref ? objects.find((x) => x.type === 'search' && x.id === ref.id) : undefined;
    if (!search) problems.push(`${describe(o)}: savedSearchRefName "${searchRef}" does not resolve to a saved search in the file`);
    else indexPattern ??= checkSearchSource(search, objects).indexPattern;
  }
  const query = isRecord(source.query) ? queryInput(source.query) : undefined;
  return { problems, ...(indexPattern ? { indexPattern } : {}), ...(query ? { query } : {}) };
}

function checkKuery(o: SavedObject, input: QueryInput | undefined, fields: FieldCatalog, at = `${describe(o)}: query`): string[] {
  if (!input || input.language !== 'kuery' || typeof input.query !== 'string' || input.query.trim() === '') return [];
  let node: KqlNode;
  try {
    node = parseKuery(input.query);
  } catch (err) {
    return [`${at}: ${(err as Error).message}`];
  }
  return kqlFields(node)
    .filter((f) => !fields.has(f))
    .map((f) => `${at}: field "${f}" is not in the index template`);
}

function checkDashboard(o: SavedObject): string[] {
  const problems: string[] = [];
  if (typeof o.attributes.title !== 'string' || o.attributes.title === '') problems.push(`${describe(o)}: attributes.title is missing`);
  const panels = parseJson(o.attributes.panelsJSON);
  if (!Array.isArray(panels)) return [...problems, `${describe(o)}: panelsJSON is not a JSON array string`];
  if (o.attributes.optionsJSON !== undefined && !isRecord(parseJson(o.attributes.optionsJSON))) {
    problems.push(`${describe(o)}: optionsJSON is not a JSON object string`);
  }
  const indexes = new Set<string>();
  const boxes: Array<{ i: string; x: number; y: number; w: number; h: number }> = [];
  panels.forEach((p: unknown, n) => {
    const at = `${describe(o)}: panel ${n}`;
    if (!isRecord(p)) return void problems.push(`${at}: not an object`);
    if (typeof p.panelRefName !== 'string') problems.push(`${at}: panelRefName is missing`);
    else if (!o.references.some((r) => r.name === p.panelRefName)) problems.push(`${at}: panelRefName "${p.panelRefName}" has no reference of that name`);
    if (typeof p.panelIndex !== 'string' || indexes.has(p.panelIndex)) problems.push(`${at}: panelIndex must be a unique string`);
    else indexes.add(p.panelIndex);
    // Panels without a version (or older than 7.3) are re-migrated by the browser on every load.
    if (typeof p.version !== 'string') problems.push(`${at}: version is missing`);
    const g = p.gridData;
    if (!isRecord(g) || ![g.x, g.y, g.w, g.h].every((v) => Number.isInteger(v) && (v as number) >= 0) || g.i !== p.panelIndex) {
      problems.push(`${at}: gridData needs whole x, y, w, h and i equal to panelIndex`);
      return;
    }
    const box = { i: String(g.i), x: g.x as number, y: g.y as number, w: g.w as number, h: g.h as number };
    if (box.w === 0 || box.h === 0 || box.x + box.w > 48) problems.push(`${at}: gridData must fit the 48-column grid with a non-zero size`);
    const overlap = boxes.find((b) => b.x < box.x + box.w && box.x < b.x + b.w && b.y < box.y + box.h && box.y < b.y + b.h);
    if (overlap) problems.push(`${at}: overlaps panel ${overlap.i}`);
    boxes.push(box);
  });
  const used = new Set(panels.filter(isRecord).map((p) => p.panelRefName));
  for (const ref of o.references) {
    if (ref.name.startsWith('panel_') && !used.has(ref.name)) problems.push(`${describe(o)}: reference "${ref.name}" is not used by any panel`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------
// Visualization state and its OpenSearch query
// ---------------------------------------------------------------------------------------

export interface VisAgg {
  readonly id: string;
  readonly type: string;
  readonly enabled?: boolean;
  readonly schema?: string;
  readonly params?: Record<string, unknown>;
}

export interface VisState {
  readonly title?: string;
  readonly type: string;
  readonly params: Record<string, unknown>;
  readonly aggs: readonly VisAgg[];
}

export function parseVisState(o: SavedObject): VisState {
  const vis = parseJson(o.attributes.visState);
  if (!isRecord(vis)) throw new Error('visState is not a JSON object string');
  if (typeof vis.type !== 'string') throw new Error('visState.type is missing');
  const aggs = vis.aggs ?? [];
  if (!Array.isArray(aggs) || !aggs.every(isVisAgg)) throw new Error('visState.aggs must be an array of {id, type, params}');
  return { ...(typeof vis.title === 'string' ? { title: vis.title } : {}), type: vis.type, params: isRecord(vis.params) ? vis.params : {}, aggs };
}

/** The visualizations of a file that query the index (everything but markdown and controls). */
export function queryingVisualizations(objects: readonly SavedObject[]): Array<{ object: SavedObject; vis: VisState }> {
  return objects
    .filter((o) => o.type === 'visualization')
    .map((object) => ({ object, vis: parseVisState(object) }))
    .filter(({ vis }) => vis.aggs.some((a) => a.enabled !== false));
}

export interface QueryInput {
  readonly query: unknown;
  readonly language?: string;
}

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
function orderBuckets(buckets: VisAgg[]): VisAgg[] {
  return [...buckets.filter((b) => b.schema === 'split'), ...buckets.filter((b) => b.schema !== 'split')];
}

function bucketAgg(agg: VisAgg, all: readonly VisAgg[], options: SearchBodyOptions): { body: Record<string, unknown>; extra: Record<string, unknown> } {
  const p = agg.params ?? {};
  const field = p.field as string;
  const extra: Record<string, unknown> = {};
  switch (agg.type) {
    case 'date_histogram':
      return { body: { date_histogram: { field, ...dateInterval(p.interval, options.autoInterval ?? '1h'), min_doc_count: minDocCount(p.min_doc_count) } }, extra };
    case 'histogram':
      return { body: { histogram: { field, interval: Number(p.interval ?? 1), min_doc_count: minDocCount(p.min_doc_count) } }, extra };
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

function rangesOf(v: unknown): Array<Record<string, unknown>> {
  if (!Array.isArray(v)) return [];
  return v.filter(isRecord).map((r) => ({
    ...(r.from !== undefined && r.from !== null ? { from: r.from } : {}),
    ...(r.to !== undefined && r.to !== null ? { to: r.to } : {}),
  }));
}

function filterInputs(agg: VisAgg): Array<QueryInput & { label?: unknown }> {
  const filters = agg.params?.filters;
  if (!Array.isArray(filters)) return [];
  return filters.filter(isRecord).map((f) => ({ ...(isRecord(f.input) ? queryInput(f.input) : { query: '' }), label: f.label }));
}

/** A query bar input (KQL or Lucene) as OpenSearch DSL. */
export function translateQuery(input: QueryInput): unknown {
  const q = input.query;
  if (isRecord(q)) return q; // already DSL (old saved objects)
  const text = typeof q === 'string' ? q.trim() : '';
  if (text === '') return { match_all: {} };
  if (input.language === 'lucene') return { query_string: { query: text, analyze_wildcard: true } };
  return kqlToDsl(parseKuery(text));
}

function queryInput(v: Record<string, unknown>): QueryInput {
  return { query: v.query, ...(typeof v.language === 'string' ? { language: v.language } : {}) };
}

function isMatchAll(q: unknown): boolean {
  return isRecord(q) && isRecord(q.match_all) && Object.keys(q).length === 1;
}

// ---------------------------------------------------------------------------------------
// A KQL subset: `field : value`, `field : "phrase"`, `field : *`, `field >= value`,
// `not`, `and`, `or` and parentheses. Enough for filters; anything else is reported.
// ---------------------------------------------------------------------------------------

export type KqlNode =
  | { readonly kind: 'and' | 'or'; readonly children: readonly KqlNode[] }
  | { readonly kind: 'not'; readonly child: KqlNode }
  | { readonly kind: 'match'; readonly field: string; readonly value: string; readonly phrase: boolean }
  | { readonly kind: 'exists'; readonly field: string }
  | { readonly kind: 'range'; readonly field: string; readonly op: 'gt' | 'gte' | 'lt' | 'lte'; readonly value: string }
  | { readonly kind: 'text'; readonly value: string };

export function parseKuery(text: string): KqlNode {
  const tokens = text.match(/"(?:[^"\\]|\\.)*"|<=|>=|[():<>]|[^\s():<>"]+/g) ?? [];
  let i = 0;
  const peek = (): string | undefined => tokens[i];
  const isWord = (t: string | undefined, w: string): boolean => t !== undefined && t.toLowerCase() === w;
  const fail = (why: string): never => {
    throw new Error(`KQL "${text}" is outside the supported subset: ${why}`);
  };
  const value = (): { value: string; phrase: boolean } => {
    const t = tokens[i++];
    if (t === undefined || ['(', ')', ':', '<', '>', '<=', '>='].includes(t)) return fail('a value is missing');
    return t.startsWith('"') ? { value: t.slice(1, -1).replace(/\\(.)/g, '$1'), phrase: true } : { value: t, phrase: false };
  };
  const primary = (): KqlNode => {
    const t = peek();
    if (isWord(t, 'not')) {
      i++;
      return { kind: 'not', child: primary() };
    }
    if (t === '(') {
      i++;
      const inner = or();
      if (tokens[i++] !== ')') fail('unbalanced parentheses');
      return inner;
    }
    const first = value();
    const op = peek();
    if (op === ':') {
      i++;
      if (first.phrase) fail('a field name cannot be quoted');
      const v = value();
      if (!v.phrase && v.value === '*') return { kind: 'exists', field: first.value };
      if (!v.phrase && v.value.includes('*')) fail('wildcard values');
      return { kind: 'match', field: first.value, value: v.value, phrase: v.phrase };
    }
    if (op === '<' || op === '>' || op === '<=' || op === '>=') {
      i++;
      const ops = { '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte' } as const;
      return { kind: 'range', field: first.value, op: ops[op], value: value().value };
    }
    return { kind: 'text', value: first.value };
  };
  const and = (): KqlNode => {
    const children = [primary()];
    while (isWord(peek(), 'and')) {
      i++;
      children.push(primary());
    }
    return children.length === 1 ? children[0]! : { kind: 'and', children };
  };
  const or = (): KqlNode => {
    const children = [and()];
    while (isWord(peek(), 'or')) {
      i++;
      children.push(and());
    }
    return children.length === 1 ? children[0]! : { kind: 'or', children };
  };
  if (tokens.length === 0) return fail('empty query');
  const node = or();
  if (i < tokens.length) fail(`unexpected "${tokens[i]}"`);
  return node;
}

export function kqlFields(node: KqlNode): string[] {
  switch (node.kind) {
    case 'and':
    case 'or':
      return node.children.flatMap(kqlFields);
    case 'not':
      return kqlFields(node.child);
    case 'text':
      return [];
    default:
      return [node.field];
  }
}

/** Roughly the DSL Dashboards' KQL compiler emits for the same query. */
export function kqlToDsl(node: KqlNode): unknown {
  switch (node.kind) {
    case 'and':
      return { bool: { filter: node.children.map(kqlToDsl) } };
    case 'or':
      return { bool: { should: node.children.map(kqlToDsl), minimum_should_match: 1 } };
    case 'not':
      return { bool: { must_not: [kqlToDsl(node.child)] } };
    case 'exists':
      return { exists: { field: node.field } };
    case 'range':
      return { range: { [node.field]: { [node.op]: node.value } } };
    case 'match':
      return node.phrase ? { match_phrase: { [node.field]: node.value } } : { match: { [node.field]: node.value } };
    case 'text':
      return { multi_match: { query: node.value, type: 'best_fields', lenient: true } };
  }
}

// ---------------------------------------------------------------------------------------
// Checking a response
// ---------------------------------------------------------------------------------------

/**
 * Whether a `_search` response to `toSearchBody` would draw something: at least one
 * non-empty bucket at every bucket level, and every metric other than count non-zero in
 * at least one innermost bucket. Returns the problems; empty when the panel has data.
 */
export function checkResponse(vis: VisState, response: unknown): string[] {
  if (!isRecord(response)) return ['response is not an object'];
  const enabled = vis.aggs.filter((a) => a.enabled !== false);
  const buckets = orderBuckets(enabled.filter((a) => BUCKET_AGGS.has(a.type)));
  const metrics = enabled.filter((a) => !BUCKET_AGGS.has(a.type) && a.type !== 'count');
  const hits = isRecord(response.hits) ? response.hits : {};
  const total = isRecord(hits.total) ? Number(hits.total.value) : Number(hits.total ?? 0);
  if (!(total > 0)) return ['the query matched no documents'];

  let level: Array<Record<string, unknown>> = [isRecord(response.aggregations) ? response.aggregations : {}];
  for (const b of buckets) {
    const next: Array<Record<string, unknown>> = [];
    for (const node of level) {
      const result = node[b.id];
      if (!isRecord(result)) continue;
      const list = Array.isArray(result.buckets) ? result.buckets : isRecord(result.buckets) ? Object.values(result.buckets) : [];
      next.push(...list.filter((x): x is Record<string, unknown> => isRecord(x) && Number(x.doc_count) > 0));
    }
    if (next.length === 0) return [`agg ${b.id} (${b.type} on ${String(b.params?.field ?? 'filters')}) returned no non-empty buckets`];
    level = next;
  }
  const problems: string[] = [];
  for (const m of metrics) {
    if (!level.some((node) => hasValue(node[m.id]))) problems.push(`metric ${m.id} (${m.type} of ${String(m.params?.field)}) is empty or zero everywhere`);
  }
  return problems;
}

function hasValue(result: unknown): boolean {
  if (!isRecord(result)) return false;
  if (typeof result.value === 'number') return result.value !== 0;
  if (isRecord(result.values)) return Object.values(result.values).some((v) => typeof v === 'number');
  if (isRecord(result.hits)) return Array.isArray(result.hits.hits) && result.hits.hits.length > 0;
  if (typeof result.count === 'number') return result.count > 0; // extended_stats, geo_centroid
  if (isRecord(result.bounds)) return true;
  return false;
}

// ---------------------------------------------------------------------------------------

function describe(o: SavedObject): string {
  const title = typeof o.attributes.title === 'string' ? ` "${o.attributes.title}"` : '';
  return `${o.type} ${o.id}${title}${o.line ? ` (line ${o.line})` : ''}`;
}

function parseJson(v: unknown): unknown {
  if (typeof v !== 'string') return undefined;
  try {
    return JSON.parse(v);
  } catch {
    return undefined;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isReference(v: unknown): v is SavedObjectReference {
  return isRecord(v) && typeof v.id === 'string' && typeof v.name === 'string' && typeof v.type === 'string';
}

function isVisAgg(v: unknown): v is VisAgg {
  return isRecord(v) && typeof v.id === 'string' && typeof v.type === 'string' && (v.params === undefined || isRecord(v.params));
}
