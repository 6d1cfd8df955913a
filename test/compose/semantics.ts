/**
 * What docker-compose.yml means for the code, as checks that return the problems they find
 * (an empty list when all is well), so a test can also feed them a broken copy of the file.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { loadConfig } from '../../pipeline/config';
import { settingsSources } from '../../scripts/configTable';
import { loadServiceList } from '../../harness/serviceList';
import { commandOf, dependsOnOf, dockerfilePath, envOf, hasHealthcheck, type ComposeFile, type Service } from './composeFile';

/** Which settings schema (scripts/configTable.ts's names) each entry point reads. */
export const schemaOfScript: Readonly<Record<string, string>> = {
  'dist/pipeline/admin/main.js': 'admin',
  'dist/dashboards/import.js': 'dashboards import',
  'dist/consumer-processor/src/main.js': 'processor',
  'dist/consumer-indexer/src/main.js': 'indexer',
  'dist/consumer-analytics/src/main.js': 'analytics',
  'dist/producer/src/main.js': 'producer',
};

export const streamdexServices = (c: ComposeFile): [string, Service][] => Object.entries(c.services).filter(([, s]) => s.build !== undefined);

function shapeOf(name: string, svc: Service): Readonly<Record<string, z.ZodType>> | string {
  const script = commandOf(svc).find((a) => a.startsWith('dist/'));
  const user = script ? schemaOfScript[script] : undefined;
  const source = settingsSources.find((s) => s.user === user);
  return source ? source.shape : `${name}: runs ${script ?? 'no dist/ script'}, whose settings schema is unknown`;
}

/** Every variable compose sets is one the service reads, and every setting without a default is set. */
export function settingsProblems(c: ComposeFile): string[] {
  const problems: string[] = [];
  for (const [name, svc] of streamdexServices(c)) {
    const shape = shapeOf(name, svc);
    if (typeof shape === 'string') {
      problems.push(shape);
      continue;
    }
    const env = envOf(svc);
    // services.json's runtime settings are read by node and glibc, not by a settings schema.
    const runtime = Object.keys(loadServiceList().node.env);
    for (const key of Object.keys(env)) if (!(key in shape) && !runtime.includes(key)) problems.push(`${name}: sets ${key}, which its settings schema does not read`);
    for (const [key, type] of Object.entries(shape)) {
      if (!(key in env) && !type.safeParse(undefined).success) problems.push(`${name}: does not set ${key}, which has no default`);
      // Their defaults are the host's loopback, which in a container is the container itself.
      if (!(key in env) && serverSettings.includes(key)) problems.push(`${name}: does not set ${key}; its default is not a server in another container`);
    }
    // The values as compose passes them when .env sets nothing: ${VAR:-default} is the default.
    const values = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v.replace(/\$\{\w+(?::?-([^}]*))?\}/g, (_, d: string | undefined) => d ?? '')]));
    try {
      loadConfig(z.object(shape), values); // as the service reads them: empty means unset
    } catch (err) {
      problems.push(`${name}: ${(err as Error).message}`);
    }
  }
  return problems;
}

const serverSettings = ['KAFKA_BROKERS', 'OPENSEARCH_URL', 'DASHBOARDS_URL'];

/** Does `from` wait, directly or through the services it waits for, for `to` under `condition`? */
function waitsFor(c: ComposeFile, from: string, to: string, condition: string, seen = new Set<string>()): boolean {
  if (seen.has(from)) return false;
  seen.add(from);
  const deps = dependsOnOf(c.services[from] ?? {});
  if (deps[to] === condition) return true;
  return Object.keys(deps).some((d) => waitsFor(c, d, to, condition, seen));
}

/**
 * What a service needs running when it starts follows from what it reads: a Kafka client
 * needs a healthy broker, an OpenSearch client a healthy cluster, the import a healthy
 * Dashboards, and everything that uses the chains' topics needs topics-init to have made them.
 */
export function startOrderProblems(c: ComposeFile): string[] {
  const problems: string[] = [];
  for (const [name, svc] of streamdexServices(c)) {
    const shape = shapeOf(name, svc);
    if (typeof shape === 'string') continue;
    const needs: [string, string][] = [];
    if ('KAFKA_BROKERS' in shape) needs.push(['kafka', 'service_healthy']);
    if ('OPENSEARCH_URL' in shape) needs.push(['opensearch', 'service_healthy']);
    if ('DASHBOARDS_URL' in shape) needs.push(['opensearch-dashboards', 'service_healthy']);
    if ('KAFKA_BROKERS' in shape && name !== 'topics-init') needs.push(['topics-init', 'service_completed_successfully']);
    for (const [to, condition] of needs) {
      if (!waitsFor(c, name, to, condition)) problems.push(`${name}: starts without waiting for ${to} (${condition})`);
    }
  }
  return problems;
}

/** The runtime stage of the Dockerfile: WORKDIR, the paths COPY puts there, EXPOSEd ports. */
export function runtimeStage(dockerfile = readFileSync(dockerfilePath, 'utf8')): { workdir: string; copied: string[]; exposed: string[] } {
  const stages = dockerfile.split(/^FROM\s/m);
  const last = stages[stages.length - 1] ?? '';
  const workdir = /^WORKDIR\s+(\S+)/m.exec(last)?.[1] ?? '/';
  const copied = [...last.matchAll(/^COPY\s+(?:--\S+\s+)*\S+\s+(\S+)\s*$/gm)].map((m) => (m[1]!.startsWith('/') ? m[1]! : `${workdir}/${m[1]!.replace(/^\.\//, '')}`).replace(/\/$/, ''));
  const exposed = [...last.matchAll(/^EXPOSE\s+(.+)$/gm)].flatMap((m) => m[1]!.trim().split(/\s+/));
  return { workdir, copied, exposed };
}

/** Entry points lie in what the runtime stage copies; healthchecks probe the port they are given. */
export function imageProblems(c: ComposeFile, stage = runtimeStage()): string[] {
  const problems: string[] = [];
  for (const [name, svc] of streamdexServices(c)) {
    // Node's own flags (services.json's runtime) come before the script.
    const [bin, ...rest] = commandOf(svc);
    const script = rest.find((a) => !a.startsWith('--'));
    if (bin !== 'node' || !script) {
      problems.push(`${name}: command does not run node with a script`);
      continue;
    }
    const inImage = script.startsWith('/') ? script : `${stage.workdir}/${script}`;
    if (!stage.copied.some((dir) => inImage.startsWith(`${dir}/`))) problems.push(`${name}: ${inImage} is in nothing the Dockerfile's runtime stage copies (${stage.copied.join(', ')})`);
    if (!hasHealthcheck(svc)) continue;
    const test = svc.healthcheck!.test as string[];
    // The slim runtime image has node but neither curl nor wget.
    if (test[0] !== 'CMD' || test[1] !== 'node') problems.push(`${name}: healthcheck is not an exec-form node command: ${JSON.stringify(test)}`);
    const port = envOf(svc).METRICS_PORT;
    if (port === undefined) problems.push(`${name}: has a healthcheck but sets no METRICS_PORT`);
    else if (!stage.exposed.includes(port) && !stage.exposed.includes(`${port}/tcp`)) problems.push(`${name}: METRICS_PORT ${port} is not EXPOSEd by the image (${stage.exposed.join(', ')})`);
  }
  return problems;
}

/** Named volumes are declared and used; published ports face loopback only and are each published once. */
export function portAndVolumeProblems(c: ComposeFile): string[] {
  const problems: string[] = [];
  const declared = Object.keys((c.volumes as Record<string, unknown> | undefined) ?? {});
  const used = new Set<string>();
  const published = new Map<string, string>();
  for (const [name, svc] of Object.entries(c.services)) {
    for (const v of ((svc as { volumes?: string[] }).volumes ?? [])) {
      const [source, target] = v.split(':');
      if (!source || !target) problems.push(`${name}: volume "${v}" is not SOURCE:TARGET`);
      else if (!source.startsWith('.') && !source.startsWith('/')) {
        used.add(source);
        if (!declared.includes(source)) problems.push(`${name}: uses volume ${source}, which is not declared`);
      }
    }
    for (const p of svc.ports ?? []) {
      const [ip, host] = String(p).split(':');
      if (ip !== '127.0.0.1') problems.push(`${name}: publishes ${String(p)} beyond loopback`);
      if (host && published.has(host)) problems.push(`${name}: publishes host port ${host}, as ${published.get(host)} does`);
      if (host) published.set(host, name);
    }
  }
  for (const v of declared) if (!used.has(v)) problems.push(`volume ${v} is declared but no service uses it`);
  return problems;
}
