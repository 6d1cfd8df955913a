import { interactionsTopics } from './interactions/topics';
import { loginTopics } from './login/topics';
import { musicTopics } from './music/topics';
import { profilesTopics } from './profiles/topics';
import { selectChains, topicsWithNamespace } from './select';
import type { TopicsFacet } from './types';

/** Every chain's topics: what topic creation needs, without schemas or templates. */
export const TOPICS: readonly TopicsFacet[] = [loginTopics, musicTopics, interactionsTopics, profilesTopics];

export function selectTopics(names: readonly string[], namespace = '', setting = 'CHAINS'): TopicsFacet[] {
  return selectChains(TOPICS, names, namespace, setting, topicsWithNamespace);
}
