import { indexPatternFieldsAttribute } from './indexPatternFields';

/**
 * A saved-objects file (ndjson text) with every index pattern's `fields` set to the list
 * generated from `mappings`; all other lines are kept byte for byte.
 */
export function withIndexPatternFields(text: string, mappings: unknown): string {
  const fields = indexPatternFieldsAttribute(mappings);
  return text
    .split('\n')
    .map((line) => {
      if (line.trim() === '') return line;
      const object = JSON.parse(line) as { type?: unknown; attributes?: Record<string, unknown> };
      if (object.type !== 'index-pattern' || object.attributes === undefined) return line;
      object.attributes = { ...object.attributes, fields };
      return JSON.stringify(object);
    })
    .join('\n');
}
