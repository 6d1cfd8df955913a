import { interactionsAnalytics } from './interactions/analytics';
import { loginAnalytics } from './login/analytics';
import { musicAnalytics } from './music/analytics';
import { selectChains, topicsWithNamespace } from './select';
import { ChainName, type AnalyticsFacet } from './types';

/** Every chain's analytics facet: the analytics stage's registry. */
export const ANALYTICS: readonly AnalyticsFacet[] = [loginAnalytics, musicAnalytics, interactionsAnalytics];

/** The one topic every chain's alerts go to (before the namespace). */
export const ALERTS_TOPIC = 'analytics-alerts';

/**
 * The analytics facets of the chains named. A chain without one (profiles: a table, not a
 * stream of events in time) is passed over, so one CHAINS list serves every service; a name
 * no chain has is still refused.
 */
export function selectAnalytics(names: readonly string[], namespace = '', setting = 'CHAINS'): AnalyticsFacet[] {
  const known: readonly string[] = Object.values(ChainName);
  const withFacet = names.filter((n) => !known.includes(n) || ANALYTICS.some((c) => c.name === n));
  if (names.length > 0 && withFacet.length === 0) return [];
  return selectChains(ANALYTICS, withFacet, namespace, setting, analyticsWithNamespace);
}

export function analyticsWithNamespace(chain: AnalyticsFacet, ns: string): AnalyticsFacet {
  if (!ns) return chain;
  return { ...topicsWithNamespace(chain, ns), analytics: { ...chain.analytics, aggregatesTopic: ns + chain.analytics.aggregatesTopic } };
}
