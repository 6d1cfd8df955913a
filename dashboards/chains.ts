import { ChainName } from '../pipeline/chains/types';

/** The dashboard facet of a chain: its saved objects in dashboards/<name>.ndjson. */
export interface DashboardFacet {
  readonly name: ChainName;
  readonly title: string;
  /** Saved-objects file under dashboards/. */
  readonly file: string;
}

const dashboard = (name: ChainName, title: string): DashboardFacet => ({ name, title, file: `${name}.ndjson` });

export const DASHBOARDS: readonly DashboardFacet[] = [
  dashboard(ChainName.LOGIN, 'User logins (Fetch take-home)'),
  dashboard(ChainName.MUSIC, 'Music streaming (Eventsim)'),
  dashboard(ChainName.INTERACTIONS, 'User interactions (page visits, clicks, purchases)'),
  dashboard(ChainName.PROFILES, 'User profiles (randomuser.me)'),
];
