import { ChainName, type TopicsFacet } from '../types';

/** Eventsim's own topic names, so a real Eventsim can feed the chain unchanged. */
export const MusicTopic = {
  LISTEN: 'listen_events',
  PAGE_VIEW: 'page_view_events',
  AUTH: 'auth_events',
  STATUS_CHANGE: 'status_change_events',
} as const;
export type MusicTopic = (typeof MusicTopic)[keyof typeof MusicTopic];

export const musicTopics: TopicsFacet = {
  name: ChainName.MUSIC,
  topics: {
    inputs: [MusicTopic.LISTEN, MusicTopic.PAGE_VIEW, MusicTopic.AUTH, MusicTopic.STATUS_CHANGE],
    output: 'processed-music-events',
    deadLetter: 'music-events-dlq',
  },
};
