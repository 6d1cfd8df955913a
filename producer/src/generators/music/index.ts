export { EventsimTopic, type EventsimTopicName } from './EventsimTopic';
export type { EventsimRecord } from './EventsimRecord';
export type { MusicSimulatorOptions } from './MusicSimulatorOptions';
export { createMusicSimulator } from './createMusicSimulator';
export { generateMusic, MUSIC_INITIAL_USERS } from './generateMusic';
export { EventsimDialect } from './EventsimDialect';
