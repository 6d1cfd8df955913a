import { ChainName, type TopicsFacet } from '../types';

export const INTERACTIONS_INPUT_TOPIC = 'user_interactions';

export const interactionsTopics: TopicsFacet = {
  name: ChainName.INTERACTIONS,
  topics: { inputs: [INTERACTIONS_INPUT_TOPIC], output: 'processed-user-interactions', deadLetter: 'user-interactions-dlq' },
};
