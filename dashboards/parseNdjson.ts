import type { SavedObject, SavedObjectReference } from './types';

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

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isReference(v: unknown): v is SavedObjectReference {
  return isRecord(v) && typeof v.id === 'string' && typeof v.name === 'string' && typeof v.type === 'string';
}
