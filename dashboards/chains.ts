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

/** A dashboard of the pipeline itself rather than of one chain, in dashboards/<name>.ndjson. */
export interface PipelineDashboard {
  readonly name: string;
  readonly title: string;
  readonly file: string;
}

/** Pipeline health: throughput, lag, dead letters, latency, retries, memory, last seen (index streamdex-health-*). */
export const PIPELINE_DASHBOARDS: readonly PipelineDashboard[] = [{ name: 'health', title: 'Pipeline health', file: 'health.ndjson' }];

/** Every saved-objects file dashboards-import loads. */
export const DASHBOARD_FILES: readonly string[] = [...DASHBOARDS, ...PIPELINE_DASHBOARDS].map((d) => d.file);
