import type { ProcessingFacet } from '../types';
import { enrichMusic, type MusicDocument } from './enrich';
import { musicSchemaFor, type MusicEvent } from './schema';
import { musicTopics } from './topics';

export const musicProcessing: ProcessingFacet<MusicEvent, MusicDocument> = {
  ...musicTopics,
  schemaFor: musicSchemaFor,
  eventTime: (raw) => ({ ms: raw.ts, path: 'ts' }),
  // Eventsim sends no key; a user's (or a guest session's) events stay in order.
  outputKey: (raw) => String(raw.userId ?? raw.sessionId),
  enrich: enrichMusic,
};
