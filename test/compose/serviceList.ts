/**
 * services.json, the one list of Streamdex services that ./streamdex reads, and how
 * docker-compose.yml has to match it.
 */
import { listedCommand, listedEnv, type ServiceList } from '../../harness/serviceList';
import { commandOf, envOf, hasHealthcheck, isOneShot, type ComposeFile } from './composeFile';

export { listedCommand, listedEnv, loadServiceList, serviceListPath, serviceListSchema, type ServiceEntry, type ServiceList } from '../../harness/serviceList';

/**
 * Settings that say where the servers are and how to reach them (container host names, the
 * stack's CA and users, per-container metrics port, log level from .env): they differ between
 * containers and the host by nature, so services.json leaves them out.
 */
export const hostSpecificSettings: readonly string[] = [
  'KAFKA_BROKERS',
  'LOG_LEVEL',
  'METRICS_PORT',
  'OPENSEARCH_URL',
  'OPENSEARCH_USERNAME',
  'OPENSEARCH_PASSWORD',
  'OPENSEARCH_CA_FILE',
  'OPENSEARCH_TLS_INSECURE',
  'DASHBOARDS_URL',
];

/** A value compose takes from the operator's environment (.env), which local mode inherits as it is. */
function isPassThrough(key: string, value: string): boolean {
  return value.startsWith(`\${${key}:-`) || value === `\${${key}}`;
}

/** The settings of a compose service that services.json has to hold too. */
export function sharedEnvOf(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([k, v]) => !hostSpecificSettings.includes(k) && !isPassThrough(k, v)));
}

function canonical(env: Record<string, string>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(env).sort(([a], [b]) => a.localeCompare(b))));
}

/** Every way docker-compose.yml and services.json disagree; empty when they run the same. */
export function serviceListDifferences(compose: ComposeFile, list: ServiceList): string[] {
  const out: string[] = [];
  const byCompose = new Map(list.services.map((s) => [s.compose, s]));
  // Every service built from this repository is a Streamdex service; the rest are images.
  const built = Object.entries(compose.services).filter(([, svc]) => svc.build !== undefined);
  for (const [name] of built) if (!byCompose.has(name)) out.push(`${name}: in docker-compose.yml, not in services.json`);
  for (const s of list.services) {
    const svc = compose.services[s.compose];
    if (!svc || svc.build === undefined) {
      out.push(`${s.compose}: in services.json, not a service built in docker-compose.yml`);
      continue;
    }
    const expected = listedCommand(list, s).join(' ');
    const actual = commandOf(svc).join(' ');
    if (actual !== expected) out.push(`${s.compose}: compose runs "${actual}", services.json "${expected}"`);
    const env = envOf(svc);
    const shared = canonical(sharedEnvOf(env));
    const listed = canonical(listedEnv(list, s));
    if (shared !== listed) out.push(`${s.compose}: compose sets ${shared}, services.json ${listed}`);
    if (s.run === 'once' && !isOneShot(svc)) out.push(`${s.compose}: run once in services.json, not a one-shot job in compose`);
    if (s.run === 'always' && !(svc.restart === 'unless-stopped' && hasHealthcheck(svc) && env.METRICS_PORT)) {
      out.push(`${s.compose}: runs always in services.json; compose lacks restart: unless-stopped, a healthcheck or METRICS_PORT`);
    }
  }
  return out;
}
