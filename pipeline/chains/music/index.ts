import { ChainName, type ChainDefinition } from '../types';
import { enrichMusic, type MusicDocument } from './enrich';
import { generateMusic } from './generator';
import { MusicTopic, musicSchemaFor, type MusicEvent } from './schema';
import { musicIndex } from './template';

export const musicChain: ChainDefinition<MusicEvent, MusicDocument> = {
  name: ChainName.MUSIC,
  title: 'Music streaming (Eventsim)',
  topics: {
    // Eventsim's own topic names, so a real Eventsim can feed the chain unchanged.
    inputs: [MusicTopic.LISTEN, MusicTopic.PAGE_VIEW, MusicTopic.AUTH, MusicTopic.STATUS_CHANGE],
    output: 'processed-music-events',
    deadLetter: 'music-events-dlq',
  },
  schemaFor: musicSchemaFor,
  eventTime: (raw) => ({ ms: raw.ts, path: 'ts' }),
  // Eventsim sends no key; a user's (or a guest session's) events stay in order.
  outputKey: (raw) => String(raw.userId ?? raw.sessionId),
  enrich: enrichMusic,
  index: musicIndex,
  dashboard: 'music.ndjson',
  generator: generateMusic,
  malformed: {
    requiredFields: ['ts', 'sessionId', 'level', 'itemInSession'],
    timeField: 'ts',
    timeFormat: 'epoch_ms',
  },
};

export { MusicTopic, MUSIC_EVENT_TYPES, musicSchemaFor } from './schema';
export type { MusicEvent, MusicEventType, ListenEvent, PageViewEvent, AuthEvent, StatusChangeEvent } from './schema';
export type { MusicDocument } from './enrich';
export { MUSIC_INITIAL_USERS } from './generator';
