import type { SourceCoordinates } from './types';

/**
 * A record's place in the log identifies it for good: replaying the same input gives the
 * same id, so the indexer's document id turns reprocessing into an overwrite.
 */
export function coordinatesId(c: SourceCoordinates): string {
  return `${c.topic}-${c.partition}-${c.offset}`;
}

/**
 * The processor puts the event id in this header of every processed record, so the indexer
 * uses it as the document id without parsing the document.
 */
export const EVENT_ID_HEADER = 'event-id';
