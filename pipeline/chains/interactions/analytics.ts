import type { ChainAnalytics } from '../../analytics';
import { DEAD_LETTER_SPIKE } from '../deadLetterSpike';
import { ChainName, type AnalyticsFacet } from '../types';
import { interactionsTopics } from './topics';

export const interactionsAnalytics: AnalyticsFacet = {
  ...interactionsTopics,
  analytics: {
    aggregatesTopic: 'analytics-interactions-aggregates',
    eventTimeField: 'event_time',
    userField: 'user_id',
    dimensions: { event_type: 'event_type', page: 'page_id' },
    sums: { revenue: 'revenue' },
    rules: [
      DEAD_LETTER_SPIKE,
    ],
  } satisfies ChainAnalytics,
  name: ChainName.INTERACTIONS,
};
