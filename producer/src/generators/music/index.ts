export { EventsimTopic, type EventsimTopicName } from './EventsimTopic';
export type { EventsimRecord } from './EventsimRecord';
export type { MusicSimulatorOptions } from './MusicSimulatorOptions';
export type { MusicSummary } from './MusicSummary';
export { createMusicSimulator } from './createMusicSimulator';
export { summarizeMusicEvents } from './summarizeMusicEvents';
