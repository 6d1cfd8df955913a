import { ChainName, type TopicsFacet } from '../types';

export const PROFILES_INPUT_TOPIC = 'user-profiles';

/**
 * The processed topic is compacted and keyed by `login.uuid`: it is the table of every
 * user's latest profile, which the processor reads back to join logins with (profileTable.ts).
 */
export const profilesTopics: TopicsFacet = {
  name: ChainName.PROFILES,
  topics: {
    inputs: [PROFILES_INPUT_TOPIC],
    output: 'processed-user-profiles',
    deadLetter: 'user-profiles-dlq',
    outputConfig: { 'cleanup.policy': 'compact' },
  },
};
