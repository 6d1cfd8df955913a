/**
 * docker-compose.yml as data, for the tests in this folder. Parsed with the `yaml`
 * package with merge keys on, so `<<: *anchor` fragments are resolved the way
 * docker-compose resolves them. Variables (${VAR}) are left as written.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export const repoRoot = path.resolve(__dirname, '..', '..');
export const composePath = path.join(repoRoot, 'docker-compose.yml');
export const envExamplePath = path.join(repoRoot, '.env.example');
export const dockerfilePath = path.join(repoRoot, 'Dockerfile');
export const dockerignorePath = path.join(repoRoot, '.dockerignore');
export const pomPath = path.join(repoRoot, 'stack', 'pom.xml');
export const stackScriptPath = path.join(repoRoot, 'stack', 'stack');

export type EnvValue = string | number | boolean | null;

export interface Healthcheck {
  test?: string | string[];
  disable?: boolean;
}

export interface DependsOnEntry {
  condition?: string;
}

export interface Service {
  image?: string;
  build?: unknown;
  command?: string | string[];
  restart?: string;
  healthcheck?: Healthcheck;
  environment?: Record<string, EnvValue> | string[];
  depends_on?: string[] | Record<string, DependsOnEntry>;
  ports?: (string | number | Record<string, unknown>)[];
  ulimits?: Record<string, number | { soft: number; hard: number }>;
  profiles?: string[];
  volumes?: (string | Record<string, unknown>)[];
}

export interface ComposeFile {
  services: Record<string, Service>;
  [key: string]: unknown;
}

export const composeText = readFileSync(composePath, 'utf8');
// `merge: true` resolves the `<<: *anchor` merge keys exactly as docker-compose does.
export const compose = parse(composeText, { merge: true }) as ComposeFile;
export const services = Object.entries(compose.services);

export function service(name: string): Service {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
}

/** Environment of a service as a plain map, whichever of the two forms the file uses. */
export function envOf(svc: Service): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(svc.environment)) {
    for (const entry of svc.environment) {
      const eq = entry.indexOf('=');
      if (eq < 0) out[entry] = '';
      else out[entry.slice(0, eq)] = entry.slice(eq + 1);
    }
  } else if (svc.environment) {
    for (const [key, value] of Object.entries(svc.environment)) out[key] = value === null ? '' : String(value);
  }
  return out;
}

export function commandOf(svc: Service): string[] {
  if (Array.isArray(svc.command)) return svc.command;
  return svc.command ? svc.command.split(/\s+/) : [];
}

export function dependsOnOf(svc: Service): Record<string, string> {
  if (!svc.depends_on) return {};
  if (Array.isArray(svc.depends_on)) return Object.fromEntries(svc.depends_on.map((n) => [n, 'service_started']));
  return Object.fromEntries(Object.entries(svc.depends_on).map(([n, d]) => [n, d.condition ?? 'service_started']));
}

/** One-shot jobs exit when done and are restarted only if they failed. */
export function isOneShot(svc: Service): boolean {
  return svc.restart !== undefined && /^(on-failure(:\d+)?|no)$/.test(svc.restart);
}

export function hasHealthcheck(svc: Service): boolean {
  const hc = svc.healthcheck;
  if (!hc || hc.disable === true || hc.test === undefined) return false;
  const first = Array.isArray(hc.test) ? hc.test[0] : hc.test;
  return first !== 'NONE' && first !== '';
}
