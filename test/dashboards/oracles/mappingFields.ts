import type { IndexSpec } from '../../../pipeline/opensearch';
import { isRecord } from './json';

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
