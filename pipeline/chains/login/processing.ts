import type { ProcessingFacet } from '../types';
import { enrichLogin, type LoginDocument } from './enrich';
import { loginEventSchema, type LoginEvent } from './schema';
import { loginTimeMs } from './timestamp';
import { LOGIN_INPUT_TOPIC, loginTopics } from './topics';

export const loginProcessing: ProcessingFacet<LoginEvent, LoginDocument> = {
  ...loginTopics,
  schemaFor: (topic) => (topic === LOGIN_INPUT_TOPIC ? loginEventSchema : undefined),
  eventTime: (raw) => ({ ms: loginTimeMs(raw.timestamp), path: 'timestamp' }),
  outputKey: (raw) => raw.user_id,
  enrich: enrichLogin,
};
