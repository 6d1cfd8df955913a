import { RuleKind, RuleSource, type ChainAnalytics } from '../../analytics';
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
      {
        id: 'dead_letter_spike',
        kind: RuleKind.COUNT,
        source: RuleSource.DEAD_LETTERS,
        thresholdSetting: 'ALERT_DEAD_LETTER_COUNT',
        windowSetting: 'ALERT_DEAD_LETTER_WINDOW_SECONDS',
      },
    ],
  } satisfies ChainAnalytics,
  name: ChainName.INTERACTIONS,
};
