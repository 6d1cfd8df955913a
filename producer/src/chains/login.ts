import { loginTopics } from '../../../pipeline/chains/login/topics';
import { generateLogins } from '../generators/generateLogins';
import type { GenerationFacet } from './types';

export const loginGeneration: GenerationFacet = {
  ...loginTopics,
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
