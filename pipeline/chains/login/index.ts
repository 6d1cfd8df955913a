import { ChainName, type ChainDefinition } from '../types';
import { enrichLogin, type LoginDocument } from './enrich';
import { generateLogins } from './generator';
import { loginEventSchema, type LoginEvent } from './schema';
import { loginIndex } from './template';

export const LOGIN_INPUT_TOPIC = 'user-login';

export const loginChain: ChainDefinition<LoginEvent, LoginDocument> = {
  name: ChainName.LOGIN,
  title: 'User logins (Fetch take-home)',
  topics: { inputs: [LOGIN_INPUT_TOPIC], output: 'processed-user-login', deadLetter: 'user-login-dlq' },
  schemaFor: (topic) => (topic === LOGIN_INPUT_TOPIC ? loginEventSchema : undefined),
  eventTime: (raw) => ({ ms: raw.timestamp * 1000, path: 'timestamp' }),
  outputKey: (raw) => raw.user_id,
  enrich: enrichLogin,
  index: loginIndex,
  dashboard: 'login.ndjson',
  generator: generateLogins,
  malformed: {
    requiredFields: ['user_id', 'app_version', 'ip', 'locale', 'device_id', 'timestamp'],
    timeField: 'timestamp',
    timeFormat: 'epoch_s',
    custom: {
      bad_ip: (v) => ({ ...v, ip: '300.12.1.999' }),
    },
  },
};

export type { LoginEvent } from './schema';
export type { LoginDocument } from './enrich';
export { APP_RELEASES } from './generator';
