import { musicTopics } from '../../../pipeline/chains/music/topics';
import { generateMusic } from '../generators/music';
import type { GenerationFacet } from './types';

export const musicGeneration: GenerationFacet = {
  ...musicTopics,
  generator: generateMusic,
  malformed: {
    requiredFields: ['ts', 'sessionId', 'level', 'itemInSession'],
    timeField: 'ts',
    timeFormat: 'epoch_ms',
  },
};
