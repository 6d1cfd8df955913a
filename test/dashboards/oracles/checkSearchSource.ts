import type { SavedObject } from '../../../dashboards/types';
import { isRecord, parseJson } from './json';
import type { FieldCatalog } from './mappingFields';
import { objectLabel } from './objectLabel';
import { kqlFields, parseKuery, type KqlNode } from './parseKuery';
import { queryInput, type QueryInput } from './translateQuery';

export interface SearchSourceCheck {
  readonly problems: string[];
  readonly indexPattern?: SavedObject;
  readonly query?: QueryInput;
}

/** The searchSourceJSON of a visualization or saved search: parses, and its index reference resolves. */
export function checkSearchSource(o: SavedObject, objects: readonly SavedObject[]): SearchSourceCheck {
  const problems: string[] = [];
  const meta = o.attributes.kibanaSavedObjectMeta;
  const raw = isRecord(meta) ? meta.searchSourceJSON : undefined;
  const source = raw === undefined ? {} : parseJson(raw);
  if (!isRecord(source)) return { problems: [`${objectLabel(o)}: kibanaSavedObjectMeta.searchSourceJSON is not a JSON object string`] };
  if (typeof source.index === 'string') {
    problems.push(`${objectLabel(o)}: searchSourceJSON.index is the pre-7.0 form; use indexRefName and a reference`);
  }
  let indexPattern: SavedObject | undefined;
  if (source.indexRefName !== undefined) {
    const ref = o.references.find((r) => r.name === source.indexRefName);
    if (!ref) problems.push(`${objectLabel(o)}: indexRefName "${String(source.indexRefName)}" has no reference of that name`);
    else if (ref.type !== 'index-pattern') problems.push(`${objectLabel(o)}: indexRefName points at a ${ref.type}, not an index-pattern`);
    else indexPattern = objects.find((x) => x.type === 'index-pattern' && x.id === ref.id);
  }
  const searchRef = o.attributes.savedSearchRefName;
  if (typeof searchRef === 'string') {
    const ref = o.references.find((r) => r.name === searchRef && r.type === 'search');
    const search = ref ? objects.find((x) => x.type === 'search' && x.id === ref.id) : undefined;
    if (!search) problems.push(`${objectLabel(o)}: savedSearchRefName "${searchRef}" does not resolve to a saved search in the file`);
    else indexPattern ??= checkSearchSource(search, objects).indexPattern;
  }
  const query = isRecord(source.query) ? queryInput(source.query) : undefined;
  return { problems, ...(indexPattern ? { indexPattern } : {}), ...(query ? { query } : {}) };
}

export function checkKuery(o: SavedObject, input: QueryInput | undefined, fields: FieldCatalog, at = `${objectLabel(o)}: query`): string[] {
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
