import { loginTopics } from '../../../pipeline/chains/login/topics';
import { generateLogins } from '../generators/login';
import type { GenerationFacet } from './types';

export const loginGeneration: GenerationFacet = {
  ...loginTopics,
  generator: generateLogins,
  malformed: {
    // The fields whose defects dead-letter a login; the others are kept with a quality defect.
    requiredFields: ['user_id', 'device_id', 'timestamp'],
    timeField: 'timestamp',
    timeFormat: 'epoch_s',
    custom: {
      fractional_timestamp: (v) => ({ ...v, timestamp: Number(v.timestamp) + 0.5 }),
    },
  },
};
