import type { SavedObject } from '../../../dashboards/types';
import { AGG_FIELD_TYPES, AGG_VIS_TYPES, BUCKET_AGGS, DATE, FIELDLESS, PLAIN_VIS_TYPES } from './aggregationTypes';
import { checkDashboard } from './checkDashboard';
import { checkKuery, checkSearchSource } from './checkSearchSource';
import { isRecord, parseJson } from './json';
import type { FieldCatalog } from './mappingFields';
import { objectLabel } from './objectLabel';
import { isVisAgg, parseVisState, type VisAgg, type VisState } from './parseVisState';
import { filterInputs } from './toSearchBody';

export interface IndexTarget {
  /** Fields of the index the dashboards read (`indexFields(chain.index)`). */
  readonly fields: FieldCatalog;
  /** Expected index-pattern title (the chain's alias), when one is expected. */
  readonly alias?: string;
  /** Expected time field of the index pattern. */
  readonly timeField?: string;
  /**
   * Further indices the file may show, by index-pattern title (e.g. the dead-letter index on
   * every chain's dashboard): their index patterns and visualizations are checked against these.
   */
  readonly others?: ReadonlyMap<string, IndexTarget>;
}

/** The target an index pattern (by its title) is checked against. */
function targetOf(indexPattern: SavedObject | undefined, target: IndexTarget): IndexTarget {
  const title = indexPattern?.attributes.title;
  return (typeof title === 'string' ? target.others?.get(title) : undefined) ?? target;
}

/** Every check of one file's objects; an empty list means the file is sound. */
export function validateSavedObjects(objects: readonly SavedObject[], target: IndexTarget): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const o of objects) {
    const key = `${o.type}:${o.id}`;
    if (seen.has(key)) problems.push(`${objectLabel(o)}: duplicate id (another ${o.type} has id "${o.id}")`);
    seen.add(key);
  }
  problems.push(...checkReferences(objects));
  for (const o of objects) {
    if (o.type === 'index-pattern') problems.push(...checkIndexPattern(o, targetOf(o, target)));
    else if (o.type === 'visualization') problems.push(...checkVisualization(o, objects, target));
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
      if (names.has(ref.name)) problems.push(`${objectLabel(o)}: two references are named "${ref.name}"`);
      names.add(ref.name);
      if (!ids.has(`${ref.type}:${ref.id}`)) {
        problems.push(`${objectLabel(o)}: reference "${ref.name}" points at ${ref.type} "${ref.id}", which is not in the file`);
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
  if (typeof title !== 'string' || title === '') problems.push(`${objectLabel(o)}: attributes.title must name the index or alias`);
  else if (target.alias !== undefined && title !== target.alias) {
    problems.push(`${objectLabel(o)}: title "${title}" is not the chain's alias "${target.alias}"`);
  }
  if (timeFieldName !== undefined) {
    const field = typeof timeFieldName === 'string' ? target.fields.get(timeFieldName) : undefined;
    if (!field) problems.push(`${objectLabel(o)}: time field ${JSON.stringify(timeFieldName)} is not in the index template`);
    else if (!DATE.includes(field.type)) problems.push(`${objectLabel(o)}: time field "${timeFieldName}" is ${field.type}, not a date`);
  }
  if (target.timeField !== undefined && timeFieldName !== target.timeField) {
    problems.push(`${objectLabel(o)}: time field ${JSON.stringify(timeFieldName)} is not the chain's time field "${target.timeField}"`);
  }
  if (fields !== undefined && !Array.isArray(parseJson(fields))) problems.push(`${objectLabel(o)}: attributes.fields must be a JSON array string`);
  return problems;
}

function checkVisualization(o: SavedObject, objects: readonly SavedObject[], target: IndexTarget): string[] {
  const problems: string[] = [];
  if (typeof o.attributes.title !== 'string' || o.attributes.title === '') problems.push(`${objectLabel(o)}: attributes.title is missing`);
  if (o.attributes.uiStateJSON !== undefined && !isRecord(parseJson(o.attributes.uiStateJSON))) {
    problems.push(`${objectLabel(o)}: uiStateJSON is not a JSON object string`);
  }
  let vis: VisState;
  try {
    vis = parseVisState(o);
  } catch (err) {
    return [...problems, `${objectLabel(o)}: ${(err as Error).message}`];
  }
  const source = checkSearchSource(o, objects);
  const { fields } = targetOf(source.indexPattern, target);
  problems.push(...source.problems);
  problems.push(...checkKuery(o, source.query, fields));

  if (PLAIN_VIS_TYPES.has(vis.type)) {
    if (vis.type === 'input_control_vis') problems.push(...checkControls(o, vis, fields));
    return problems;
  }
  if (!AGG_VIS_TYPES.has(vis.type)) {
    return [...problems, `${objectLabel(o)}: visualization type "${vis.type}" is not one test/dashboards/oracles can check; use a standard type`];
  }
  if (!source.indexPattern) problems.push(`${objectLabel(o)}: has aggregations but no index pattern (searchSourceJSON.indexRefName)`);

  const enabled = vis.aggs.filter((a) => a.enabled !== false);
  if (enabled.length === 0) problems.push(`${objectLabel(o)}: has no enabled aggregations`);
  const ids = new Set<string>();
  for (const agg of enabled) {
    const at = `${objectLabel(o)}: agg ${agg.id} (${agg.type})`;
    if (ids.has(agg.id)) problems.push(`${at}: duplicate agg id`);
    ids.add(agg.id);
    if (!FIELDLESS.has(agg.type) && !(agg.type in AGG_FIELD_TYPES)) {
      problems.push(`${at}: aggregation type not supported by test/dashboards/oracles`);
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
    if (!enabled.some((a) => a.type === 'geohash_grid')) problems.push(`${objectLabel(o)}: a coordinate map needs a geohash_grid agg`);
    if (!isRecord(vis.params.wms)) problems.push(`${objectLabel(o)}: tile_map params.wms is missing (Dashboards reads params.wms.selectedTmsLayer)`);
  }
  if (enabled.length > 0 && !enabled.some((a) => !BUCKET_AGGS.has(a.type))) problems.push(`${objectLabel(o)}: needs at least one metric agg (e.g. count)`);
  return problems;
}

function checkAggField(at: string, agg: VisAgg, fields: FieldCatalog): string[] {
  if (FIELDLESS.has(agg.type)) return [];
  const accepted = AGG_FIELD_TYPES[agg.type];
  if (!accepted) return [`${at}: aggregation type not supported by test/dashboards/oracles`];
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
      problems.push(`${objectLabel(o)}: control "${String(c.label)}" has no index-pattern reference`);
    }
    const field = typeof c.fieldName === 'string' ? fields.get(c.fieldName) : undefined;
    if (!field) problems.push(`${objectLabel(o)}: control field ${JSON.stringify(c.fieldName)} is not in the index template`);
    else if (!field.aggregatable) problems.push(`${objectLabel(o)}: control field "${String(c.fieldName)}" cannot be aggregated`);
  }
  return problems;
}
