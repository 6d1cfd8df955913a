/**
 * The field list of an index pattern, as OpenSearch Dashboards would compute it from the
 * index's `_field_caps` and then save on the pattern. A pattern shipped without `fields`
 * makes every panel of a first load refresh and save it at once (HTTP 409 conflicts), so
 * the shipped patterns carry this list, generated from the chains' index templates
 * (`npm run dashboards:fields`; test/dashboards/indexPatternFields.test.ts catches drift).
 *
 * The rules follow Dashboards' field fetcher: objects are dropped, leaves and multi-fields
 * become fields, OpenSearch types are cast to Dashboards types, `readFromDocValues` is
 * aggregatable and neither text, geo_shape nor a meta type, meta fields get their
 * overrides, and the list is sorted by name.
 */

/** One entry of an index pattern's `fields` attribute (saved as a JSON string). */
export interface IndexPatternField {
  readonly count: number;
  readonly name: string;
  readonly type: string;
  readonly esTypes?: readonly string[];
  readonly scripted: boolean;
  readonly searchable: boolean;
  readonly aggregatable: boolean;
  readonly readFromDocValues: boolean;
  readonly subType?: { readonly multi?: { readonly parent: string }; readonly nested?: { readonly path: string } };
}

/** OpenSearch mapping types to the Dashboards field type names. */
const DASHBOARDS_TYPE: Readonly<Record<string, string>> = {
  text: 'string',
  keyword: 'string',
  constant_keyword: 'string',
  wildcard: 'string',
  match_only_text: 'string',
  float: 'number',
  half_float: 'number',
  scaled_float: 'number',
  double: 'number',
  integer: 'number',
  long: 'number',
  unsigned_long: 'number',
  short: 'number',
  byte: 'number',
  token_count: 'number',
  date: 'date',
  date_nanos: 'date',
  ip: 'ip',
  boolean: 'boolean',
  geo_point: 'geo_point',
  geo_shape: 'geo_shape',
  murmur3: 'murmur3',
  histogram: 'histogram',
};

/**
 * Dashboards' default `metaFields` as the field fetcher lists them: `_id` and `_index`
 * from `_field_caps` (searchable, aggregatable), `_source` with its own type, and `_score`
 * and `_type`, which `_field_caps` does not report on OpenSearch 2.x/3.x, with defaults.
 */
const META_FIELDS: readonly IndexPatternField[] = [
  meta('_id', 'string', ['_id'], true, true),
  meta('_index', 'string', ['_index'], true, true),
  meta('_score', 'number', undefined, false, false),
  meta('_source', '_source', ['_source'], false, false),
  meta('_type', 'string', undefined, false, false),
];

/** Types that can be searched but never aggregated (no doc values). */
const NOT_AGGREGATABLE = new Set(['binary', 'text', 'match_only_text', 'geo_shape', 'search_as_you_type', 'completion', 'knn_vector', 'flat_object']);

/** The field list of an index with these mappings (`{ properties: ... }`), meta fields included. */
export function indexPatternFields(mappings: unknown): IndexPatternField[] {
  const fields: IndexPatternField[] = [...META_FIELDS];
  const walk = (properties: unknown, prefix: string, nestedPath: string | undefined): void => {
    if (!isRecord(properties)) return;
    for (const [name, def] of Object.entries(properties)) {
      if (!isRecord(def)) continue;
      const path = `${prefix}${name}`;
      if (isRecord(def.properties) || def.type === 'object' || def.type === 'nested') {
        if (def.enabled === false) continue;
        walk(def.properties, `${path}.`, def.type === 'nested' ? path : nestedPath);
        continue;
      }
      if (typeof def.type !== 'string') continue;
      fields.push(leaf(path, def.type, def, nestedPath === undefined ? undefined : { nested: { path: nestedPath } }));
      if (isRecord(def.fields)) {
        for (const [sub, subDef] of Object.entries(def.fields)) {
          if (!isRecord(subDef) || typeof subDef.type !== 'string') continue;
          const nested = nestedPath === undefined ? {} : { nested: { path: nestedPath } };
          fields.push(leaf(`${path}.${sub}`, subDef.type, subDef, { multi: { parent: path }, ...nested }));
        }
      }
    }
  };
  walk(isRecord(mappings) ? mappings.properties : undefined, '', undefined);
  return fields.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The `fields` attribute of an index pattern: the list as a JSON string, as Dashboards saves it. */
export function indexPatternFieldsAttribute(mappings: unknown): string {
  return JSON.stringify(indexPatternFields(mappings));
}

function leaf(name: string, esType: string, def: Record<string, unknown>, subType: IndexPatternField['subType']): IndexPatternField {
  const searchable = def.index !== false;
  const aggregatable = isAggregatable(esType, def);
  return {
    count: 0,
    name,
    type: DASHBOARDS_TYPE[esType] ?? 'unknown',
    esTypes: [esType],
    scripted: false,
    searchable,
    aggregatable,
    readFromDocValues: aggregatable && !['text', 'geo_shape'].includes(esType) && !esType.startsWith('_'),
    ...(subType !== undefined ? { subType } : {}),
  };
}

function isAggregatable(type: string, def: Record<string, unknown>): boolean {
  if (type === 'text' || type === 'match_only_text') return def.fielddata === true;
  if (NOT_AGGREGATABLE.has(type)) return false;
  return def.doc_values !== false;
}

function meta(name: string, type: string, esTypes: readonly string[] | undefined, searchable: boolean, aggregatable: boolean): IndexPatternField {
  return { count: 0, name, type, ...(esTypes ? { esTypes } : {}), scripted: false, searchable, aggregatable, readFromDocValues: false };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
