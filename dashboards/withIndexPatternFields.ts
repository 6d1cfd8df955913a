import { indexPatternFieldsAttribute } from './indexPatternFields';

/**
 * A saved-objects file (ndjson text) with every index pattern's `fields` set to the list
 * generated from `mappings`, or from `others[title]` for a pattern of another index (the
 * dead-letter index on every chain's dashboard); all other lines are kept byte for byte.
 */
export function withIndexPatternFields(text: string, mappings: unknown, others: Readonly<Record<string, unknown>> = {}): string {
  const fields = indexPatternFieldsAttribute(mappings);
  return text
    .split('\n')
    .map((line) => {
      if (line.trim() === '') return line;
      const object = JSON.parse(line) as { type?: unknown; attributes?: Record<string, unknown> };
      if (object.type !== 'index-pattern' || object.attributes === undefined) return line;
      const title = object.attributes.title;
      const own = typeof title === 'string' && title in others ? indexPatternFieldsAttribute(others[title]) : fields;
      object.attributes = { ...object.attributes, fields: own };
      return JSON.stringify(object);
    })
    .join('\n');
}
