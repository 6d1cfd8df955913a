import { RuleKind, RuleSource, type ChainAnalytics } from '../../analytics';
import { DEAD_LETTER_SPIKE } from '../deadLetterSpike';
import { ChainName, type AnalyticsFacet } from '../types';
import { musicTopics } from './topics';

export const musicAnalytics: AnalyticsFacet = {
  ...musicTopics,
  analytics: {
    aggregatesTopic: 'analytics-music-aggregates',
    eventTimeField: 'event_time',
    userField: 'userId',
    dimensions: { event_type: 'event_type', page: 'page', level: 'level', state: 'state' },
    sums: { duration: 'duration' },
    rules: [
      {
        // Failed logins carry no userId (Eventsim shows none while logged out): the session is the key.
        id: 'failed_login_burst',
        kind: RuleKind.COUNT,
        source: RuleSource.EVENTS,
        keyField: 'sessionId',
        where: [
          { field: 'event_type', equals: 'auth' },
          { field: 'success', equals: false },
        ],
        thresholdSetting: 'ALERT_FAILED_LOGIN_COUNT',
        windowSetting: 'ALERT_FAILED_LOGIN_WINDOW_SECONDS',
      },
      DEAD_LETTER_SPIKE,
    ],
  } satisfies ChainAnalytics,
  name: ChainName.MUSIC,
};
