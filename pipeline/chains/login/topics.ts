import { ChainName, type TopicsFacet } from '../types';

export const LOGIN_INPUT_TOPIC = 'user-login';

export const loginTopics: TopicsFacet = {
  name: ChainName.LOGIN,
  topics: { inputs: [LOGIN_INPUT_TOPIC], output: 'processed-user-login', deadLetter: 'user-login-dlq' },
};
