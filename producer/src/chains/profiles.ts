import { profilesTopics } from '../../../pipeline/chains/profiles/topics';
import { generateProfiles } from '../generators/profiles';
import type { GenerationFacet } from './types';

export const profilesGeneration: GenerationFacet = {
  ...profilesTopics,
  generator: generateProfiles,
  malformed: {
    // A generated record is an API response: without a list of results it is nothing.
    requiredFields: ['results'],
    // No time field: a profile's time is its record's Kafka time.
    custom: {
      bad_uuid: (v) => ({ ...v, results: (v.results as Array<Record<string, any>>).map((u, i) => (i === 0 ? { ...u, login: { ...u.login, uuid: 'not-a-uuid' } } : u)) }),
    },
  },
};
