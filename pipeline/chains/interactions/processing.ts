import type { ProcessingFacet } from '../types';
import { enrichInteraction, type InteractionDocument } from './enrich';
import { interactionEventSchema, parseDatetimeText, type InteractionEvent } from './schema';
import { INTERACTIONS_INPUT_TOPIC, interactionsTopics } from './topics';

export const interactionsProcessing: ProcessingFacet<InteractionEvent, InteractionDocument> = {
  ...interactionsTopics,
  schemaFor: (topic) => (topic === INTERACTIONS_INPUT_TOPIC ? interactionEventSchema : undefined),
  eventTime: (raw) => ({ ms: parseDatetimeText(raw.timestamp), path: 'timestamp' }),
  // The source's id when it sent one: re-sending the same event overwrites, never doubles.
  sourceEventId: (raw) => raw.event_id,
  outputKey: (raw) => String(raw.user_id),
  enrich: enrichInteraction,
};
