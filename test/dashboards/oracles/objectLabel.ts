import type { SavedObject } from '../../../dashboards/types';

/** How messages name an object: type, id, title and line. */
export function objectLabel(o: SavedObject): string {
  const title = typeof o.attributes.title === 'string' ? ` "${o.attributes.title}"` : '';
  return `${o.type} ${o.id}${title}${o.line ? ` (line ${o.line})` : ''}`;
}
