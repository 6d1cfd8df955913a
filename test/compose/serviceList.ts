/**
 * services.json, the one list of Streamdex services that ./streamdex reads, and how
 * docker-compose.yml has to match it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { commandOf, envOf, hasHealthcheck, isOneShot, repoRoot, type ComposeFile } from './composeFile';

export const serviceListPath = path.join(repoRoot, 'services.json');

// ./streamdex splits commands and env lists on whitespace, so none may contain any.
const word = z.string().regex(/^\S+$/, 'no whitespace: ./streamdex splits on it');

const entry = z.strictObject({
  name: word,
  compose: word,
  run: z.enum(['once', 'always']),
  local: z.boolean(),
  script: word.regex(/^dist\/.+\.js$/, 'a script the build writes under dist/'),
  args: z.array(word),
  metricsPort: z.number().int().min(1024).max(65535).optional(),
  env: z.record(z.string().regex(/^[A-Z][A-Z0-9_]*$/), word),
});

export const serviceListSchema = z
  .strictObject({ $comment: z.string(), services: z.array(entry).min(1) })
  .superRefine(({ services }, ctx) => {
    const unique = (what: string, values: unknown[]) => {
      const dupes = values.filter((v, i) => v !== undefined && values.indexOf(v) !== i);
      if (dupes.length > 0) ctx.addIssue({ code: 'custom', message: `${what} used twice: ${dupes.join(', ')}` });
    };
    unique('name', services.map((s) => s.name));
    unique('compose name', services.map((s) => s.compose));
    unique('metricsPort', services.map((s) => s.metricsPort));
    for (const s of services) {
      if ((s.run === 'always') !== (s.metricsPort !== undefined)) {
        ctx.addIssue({ code: 'custom', message: `${s.name}: a metricsPort exactly when run is always` });
      }
    }
  });

export type ServiceList = z.infer<typeof serviceListSchema>;
export type ServiceEntry = ServiceList['services'][number];

export function loadServiceList(file = serviceListPath): ServiceList {
  return serviceListSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

/**
 * Settings that say where the servers are and how to reach them (container host names, the
 * demo certificates, per-container metrics port, log level from .env): they differ between
 * containers and the host by nature, so services.json leaves them out.
 */
export const hostSpecificSettings: readonly string[] = [
  'KAFKA_BROKERS',
  'LOG_LEVEL',
  'METRICS_PORT',
  'OPENSEARCH_URL',
  'OPENSEARCH_USERNAME',
  'OPENSEARCH_PASSWORD',
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
    const expected = ['node', s.script, ...s.args].join(' ');
    const actual = commandOf(svc).join(' ');
    if (actual !== expected) out.push(`${s.compose}: compose runs "${actual}", services.json "${expected}"`);
    const env = envOf(svc);
    const shared = canonical(sharedEnvOf(env));
    const listed = canonical(s.env);
    if (shared !== listed) out.push(`${s.compose}: compose sets ${shared}, services.json ${listed}`);
    if (s.run === 'once' && !isOneShot(svc)) out.push(`${s.compose}: run once in services.json, not a one-shot job in compose`);
    if (s.run === 'always' && !(svc.restart === 'unless-stopped' && hasHealthcheck(svc) && env.METRICS_PORT)) {
      out.push(`${s.compose}: runs always in services.json; compose lacks restart: unless-stopped, a healthcheck or METRICS_PORT`);
    }
  }
  return out;
}
