import { readFileSync } from 'node:fs';
import { parseNdjson } from '../../../dashboards/parseNdjson';
import type { SavedObject } from '../../../dashboards/types';

export function loadSavedObjects(file: string): SavedObject[] {
  return parseNdjson(readFileSync(file, 'utf8'), file);
}
