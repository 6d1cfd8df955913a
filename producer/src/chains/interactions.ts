import { interactionsTopics } from '../../../pipeline/chains/interactions/topics';
import { generateInteractions } from '../generators/generateInteractions';
import type { GenerationFacet } from './types';

export const interactionsGeneration: GenerationFacet = {
  ...interactionsTopics,
  generator: generateInteractions,
  malformed: {
    requiredFields: ['event_type', 'user_id', 'page_id', 'timestamp'],
    timeField: 'timestamp',
    timeFormat: 'datetime_text',
    custom: {
      purchase_without_amount: (v) => {
        const { amount: _amount, ...rest } = v;
        return { ...rest, event_type: 'purchase', currency: 'USD' };
      },
    },
  },
};
