/**
 * services.json, the one list of Streamdex services: ./streamdex runs it, docker-compose.yml
 * must match it (test/compose), and startService gives every service it starts the same
 * Node runtime settings, so tests, bench and fault suite measure what ships.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { REPO_ROOT } from './repoRoot';

export const serviceListPath = join(REPO_ROOT, 'services.json');

// ./streamdex splits commands and env lists on whitespace, so none may contain any.
const word = z.string().regex(/^\S+$/, 'no whitespace: ./streamdex splits on it');
const envMap = z.record(z.string().regex(/^[A-Z][A-Z0-9_]*$/), word);

const entry = z.strictObject({
  name: word,
  compose: word,
  run: z.enum(['once', 'always']),
  local: z.boolean(),
  script: word.regex(/^dist\/.+\.js$/, 'a script the build writes under dist/'),
  args: z.array(word),
  metricsPort: z.number().int().min(1024).max(65535).optional(),
  /** Node flags of this service: each replaces the runtime's flag of the same name, or is added. */
  node: z.array(word.regex(/^--/, 'a node flag')).optional(),
  env: envMap,
});

/** How every service's node process runs: its flags before the script, and its environment. */
const runtime = z.strictObject({
  $comment: z.string().optional(),
  args: z.array(word.regex(/^--/, 'a node flag')),
  /** What every service's resident set must stay under, at all times. */
  rssBoundMiB: z.number().int().min(64).max(65_536),
  env: envMap,
});

export const serviceListSchema = z
  .strictObject({ $comment: z.string(), node: runtime, services: z.array(entry).min(1) })
  .superRefine(({ services }, ctx) => {
    const unique = (what: string, values: unknown[]) => {
      const dupes = values.filter((v, i) => v !== undefined && values.indexOf(v) !== i);
      if (dupes.length > 0) ctx.addIssue({ code: 'custom', message: `${what} used twice: ${dupes.join(', ')}` });
    };
    unique('name', services.map((s) => s.name));
    unique('compose name', services.map((s) => s.compose));
    unique('metricsPort', services.map((s) => s.metricsPort));
    for (const s of services) {
      // The harness starts a script, not an entry, so all entries of one script share its flags.
      const first = services.find((o) => o.script === s.script)!;
      if (JSON.stringify(first.node ?? []) !== JSON.stringify(s.node ?? [])) {
        ctx.addIssue({ code: 'custom', message: `${s.name}: node flags differ from ${first.name}'s, which runs the same script` });
      }
      if ((s.run === 'always') !== (s.metricsPort !== undefined)) {
        ctx.addIssue({ code: 'custom', message: `${s.name}: a metricsPort exactly when run is always` });
      }
    }
  });

export type ServiceList = z.infer<typeof serviceListSchema>;
export type ServiceEntry = ServiceList['services'][number];
export type NodeRuntime = ServiceList['node'];

export function loadServiceList(file = serviceListPath): ServiceList {
  return serviceListSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

/** The runtime's node flags with a service's own: one of the same name (before any '=') replaces it. */
export function nodeFlags(runtime: readonly string[], own: readonly string[] = []): string[] {
  const name = (flag: string) => flag.split('=')[0];
  return [...runtime.filter((f) => !own.some((o) => name(o) === name(f))), ...own];
}

/** The command a service runs, in both modes: node, its node flags, the script, its arguments. */
export function listedCommand(list: ServiceList, s: ServiceEntry): string[] {
  return ['node', ...nodeFlags(list.node.args, s.node), s.script, ...s.args];
}

/** The settings a service runs with, in both modes: the runtime's, then its own. */
export function listedEnv(list: ServiceList, s: ServiceEntry): Record<string, string> {
  return { ...list.node.env, ...s.env };
}

let cached: ServiceList | undefined;
/** services.json, read once per process. */
const listed = (): ServiceList => (cached ??= loadServiceList());

/** The node flags and environment every service running `script` gets, from services.json. */
export function nodeRuntimeOf(script: string): Pick<NodeRuntime, 'args' | 'env'> {
  const list = listed();
  const own = list.services.find((s) => s.script === script)?.node;
  return { args: nodeFlags(list.node.args, own), env: list.node.env };
}

/** The services whose RSS the fault suite and the bench hold to `serviceRssBoundMiB`, by the role names they report. */
export const RSS_BOUNDED_ROLES = ['processor', 'indexer', 'producer', 'analytics'] as const;

/** services.json's `rssBoundMiB`, in MiB: what every service's RSS must stay under. */
export function serviceRssBoundMiB(): number {
  return listed().node.rssBoundMiB;
}
