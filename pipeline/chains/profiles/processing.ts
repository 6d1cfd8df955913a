import type { ProcessingFacet } from '../types';
import { enrichProfile, type ProfileDocument } from './enrich';
import { redactProfileSecrets } from './redactSecrets';
import { profileItems, profileSchema, type Profile } from './schema';
import { PROFILES_INPUT_TOPIC, profilesTopics } from './topics';

export const profilesProcessing: ProcessingFacet<Profile, ProfileDocument> = {
  ...profilesTopics,
  schemaFor: (topic) => (topic === PROFILES_INPUT_TOPIC ? profileSchema : undefined),
  // A profile is a state, not an event: its time is when it was fetched, the record's
  // Kafka timestamp (registration dates go back decades, beyond any event window).
  eventTime: (_raw, source) => ({ ms: source.timestamp ?? Number.NaN, path: '' }),
  // One document per user: a newer profile of the same user overwrites the older one.
  sourceEventId: (raw) => raw.login.uuid,
  outputKey: (raw) => raw.login.uuid,
  split: profileItems,
  enrich: enrichProfile,
  // A dead letter keeps the record's bytes for replay, but not its users' passwords and hashes.
  redactDeadLetter: redactProfileSecrets,
};
