import { ChainName, type ChainDefinition } from '../types';
import { enrichInteraction, type InteractionDocument } from './enrich';
import { generateInteractions } from './generator';
import { interactionEventSchema, parseDatetimeText, type InteractionEvent } from './schema';
import { interactionsIndex } from './template';

export const INTERACTIONS_INPUT_TOPIC = 'user_interactions';

export const interactionsChain: ChainDefinition<InteractionEvent, InteractionDocument> = {
  name: ChainName.INTERACTIONS,
  title: 'User interactions (page visits, clicks, purchases)',
  topics: { inputs: [INTERACTIONS_INPUT_TOPIC], output: 'processed-user-interactions', deadLetter: 'user-interactions-dlq' },
  schemaFor: (topic) => (topic === INTERACTIONS_INPUT_TOPIC ? interactionEventSchema : undefined),
  eventTime: (raw) => ({ ms: parseDatetimeText(raw.timestamp), path: 'timestamp' }),
  // The source's id when it sent one: re-sending the same event overwrites, never doubles.
  sourceEventId: (raw) => raw.event_id,
  outputKey: (raw) => String(raw.user_id),
  enrich: enrichInteraction,
  index: interactionsIndex,
  dashboard: 'interactions.ndjson',
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

export { INTERACTION_TYPES, interactionEventSchema, parseDatetimeText } from './schema';
export type { InteractionEvent, InteractionType } from './schema';
export type { InteractionDocument } from './enrich';
