import { interactionsAnalytics } from './interactions/analytics';
import { loginAnalytics } from './login/analytics';
import { musicAnalytics } from './music/analytics';
import { selectChains, topicsWithNamespace } from './select';
import type { AnalyticsFacet } from './types';

/** Every chain's analytics facet: the analytics stage's registry. */
export const ANALYTICS: readonly AnalyticsFacet[] = [loginAnalytics, musicAnalytics, interactionsAnalytics];

/** The one topic every chain's alerts go to (before the namespace). */
export const ALERTS_TOPIC = 'analytics-alerts';

export function selectAnalytics(names: readonly string[], namespace = '', setting = 'CHAINS'): AnalyticsFacet[] {
  return selectChains(ANALYTICS, names, namespace, setting, analyticsWithNamespace);
}

export function analyticsWithNamespace(chain: AnalyticsFacet, ns: string): AnalyticsFacet {
  if (!ns) return chain;
  return { ...topicsWithNamespace(chain, ns), analytics: { ...chain.analytics, aggregatesTopic: ns + chain.analytics.aggregatesTopic } };
}
