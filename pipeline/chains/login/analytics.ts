import { RuleKind, RuleSource, type ChainAnalytics } from '../../analytics';
import { DEAD_LETTER_SPIKE } from '../deadLetterSpike';
import { ChainName, type AnalyticsFacet } from '../types';
import { loginTopics } from './topics';

export const loginAnalytics: AnalyticsFacet = {
  ...loginTopics,
  analytics: {
    aggregatesTopic: 'analytics-login-aggregates',
    eventTimeField: 'event_time',
    userField: 'user_id',
    dimensions: { country: 'geo.country', device_type: 'device_type', app_version: 'app_version', outdated: 'app.outdated' },
    sums: {},
    rules: [
      {
        id: 'login_burst',
        kind: RuleKind.COUNT,
        source: RuleSource.EVENTS,
        keyField: 'user_id',
        thresholdSetting: 'ALERT_LOGIN_BURST_COUNT',
        windowSetting: 'ALERT_LOGIN_BURST_WINDOW_SECONDS',
      },
      {
        id: 'impossible_travel',
        kind: RuleKind.TRAVEL,
        source: RuleSource.EVENTS,
        keyField: 'user_id',
        pointField: 'geo.location',
        placeField: 'geo.country',
        placesMustDiffer: true,
        thresholdSetting: 'ALERT_TRAVEL_MAX_KMH',
        windowSetting: 'ALERT_TRAVEL_WINDOW_SECONDS',
        minDistanceSetting: 'ALERT_TRAVEL_MIN_KM',
      },
      DEAD_LETTER_SPIKE,
    ],
  } satisfies ChainAnalytics,
  name: ChainName.LOGIN,
};
