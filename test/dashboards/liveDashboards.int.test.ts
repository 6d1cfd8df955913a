/**
 * The dashboards as a new user sees them after `./streamdex up`: the services from
 * services.json, started as ./streamdex's local mode starts them (the `once` jobs to
 * their end first, then every `always` service with its arguments and settings), under a
 * namespace of their own on the shared stack and on free metrics ports. Within two minutes of the start (three
 * for the window and alert dashboards, which read closed one-minute windows), every
 * panel of every dashboard, queried as Dashboards would at the dashboard's default time
 * range (its stored timeFrom/timeTo, else Dashboards' "Last 15 minutes"), returns data.
 *
 * Alerts need anomalies, which normal traffic (almost) never has: here only, the login
 * producer injects login bursts and impossible travels (`--inject-*`), and the analytics
 * stage's travel window is one minute instead of ten (ALERT_TRAVEL_WINDOW_SECONDS), so a
 * travel alert's window closes within the two minutes. services.json stays as it is.
 *
 * Everything started here is stopped in afterAll and every topic, index and template of
 * the namespace is deleted, so the file ends by itself (no open handle, no child left).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { REPO_ROOT, ServiceScript, runToEnd, startService, stopAll, type RunningProcess, type ServiceName } from '../../harness';
import { ANALYTICS_DASHBOARDS, DASHBOARD_FILES, PIPELINE_DASHBOARDS } from '../../dashboards/chains';
import { deadLetterIndex } from '../../pipeline/chains/deadLetterIndex';
import { KafkaAdmin } from '../../pipeline/kafka';
import { KAFKA_BROKERS, OPENSEARCH_URL, uniqueName } from '../helpers/env';
import { useOpenSearch } from '../helpers/opensearch';
import { checkResponse, loadSavedObjects, queryingVisualizations, toSearchBody } from './oracles';

/** The promise for the chains' dashboards: data on every panel within two minutes of `./streamdex up`. */
const WITHIN_MS = 120_000;
/**
 * The window and alert dashboards read closed one-minute windows: the first closes a minute
 * plus the allowed lateness after the first event, so these get a minute more.
 */
const ANALYTICS_WITHIN_MS = 180_000;
const analyticsFiles = new Set(ANALYTICS_DASHBOARDS.map((d) => d.file));
const POLL_MS = 5_000;
/** Dashboards' default time range when a dashboard stores none. */
const DEFAULT_RANGE = { gte: 'now-15m', lte: 'now' } as const;

interface ServiceEntry {
  readonly name: string;
  readonly run: 'once' | 'always';
  readonly local: boolean;
  readonly script: string;
  readonly args: readonly string[];
  readonly env: Record<string, string>;
}

/** What this test adds to services.json for the alerts dashboard (see above). */
const FOR_ALERTS: Readonly<Record<string, Pick<ServiceEntry, 'args' | 'env'>>> = {
  'producer-login': { args: ['--inject-login-bursts', '1000', '--inject-travels', '1000', '--inject-every', '200', '--inject-seed', '7'], env: {} },
  analytics: { args: [], env: { ALERT_TRAVEL_WINDOW_SECONDS: '60' } },
};
const services = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'services.json'), 'utf8')) as { services: ServiceEntry[] }).services
  .filter((s) => s.local)
  .map((s) => (FOR_ALERTS[s.name] ? { ...s, args: [...s.args, ...FOR_ALERTS[s.name]!.args], env: { ...s.env, ...FOR_ALERTS[s.name]!.env } } : s));
const serviceName = (s: ServiceEntry): ServiceName => {
  const name = (Object.keys(ServiceScript) as ServiceName[]).find((n) => ServiceScript[n] === s.script);
  if (!name) throw new Error(`services.json: ${s.name} runs ${s.script}, which the harness does not know`);
  return name;
};

const ns = `${uniqueName('live-dash')}-`;
/** What ./streamdex adds to a service's own settings: where the servers are; here also the namespace. */
const stackEnv = { KAFKA_BROKERS: KAFKA_BROKERS.join(','), OPENSEARCH_URL, STREAMDEX_NAMESPACE: ns };
// Declared before useOpenSearch's cleanup, so it runs first: an indexer still running when
// the indices are deleted would recreate them by writing to the alias name.
afterAll(async () => {
  await stopAll(10_000);
  // The jobs created the namespace's topics, so they are found by prefix; the admin client
  // is a native handle and is closed here, or jest would not exit.
  const admin = new KafkaAdmin({ brokers: KAFKA_BROKERS, clientId: 'streamdex-test' });
  try {
    const mine = (await admin.listTopics().catch(() => [] as string[])).filter((t) => t.startsWith(ns));
    await admin.deleteTopics(mine);
  } finally {
    admin.close();
  }
});

const search = useOpenSearch();
search.cleanup(`${ns}*`);

/**
 * Chains whose producer in services.json mixes in at least 10 malformed records a minute
 * (--rate × --malformed-ratio): only they have dead letters of several kinds, field-level
 * ones among them, on a fresh stack within the two minutes. The aggregation test draws
 * every chain's dead-letter panels from real dead letters of every malformed kind.
 */
const arg = (s: ServiceEntry, flag: string): number => (s.args.includes(flag) ? Number(s.args[s.args.indexOf(flag) + 1]) : 0);
const withDeadLetters = new Set(services.filter((s) => arg(s, '--rate') * arg(s, '--malformed-ratio') * 60 >= 10).map((s) => s.args[s.args.indexOf('--chain') + 1]));

/**
 * Each panel that queries an index, with the alias and time range it is queried with. The
 * pipeline health dashboard is left out: its retry and last-error panels stay empty on a
 * healthy start, as they should (test/dashboards/aggregations.int.test.ts draws them).
 */
const pipelineFiles = new Set(PIPELINE_DASHBOARDS.map((d) => d.file));
const panels = DASHBOARD_FILES.filter((d) => !pipelineFiles.has(d.file)).flatMap((d) => {
  const objects = loadSavedObjects(path.join(REPO_ROOT, 'dashboards', d.file));
  const board = objects.find((o) => o.type === 'dashboard')!;
  const stored = board.attributes.timeRestore === true && typeof board.attributes.timeFrom === 'string' && typeof board.attributes.timeTo === 'string';
  const timeRange = stored ? { gte: board.attributes.timeFrom as string, lte: board.attributes.timeTo as string } : DEFAULT_RANGE;
  const { index } = d;
  return queryingVisualizations(objects).flatMap(({ object, vis }) => {
    const onDeadLetters = object.references.some((r) => r.type === 'index-pattern' && r.id === deadLetterIndex.alias);
    if (onDeadLetters && !withDeadLetters.has(d.name)) return [];
    const target = onDeadLetters ? deadLetterIndex : index;
    return [
      {
        key: `${d.file}/${String(object.id)}`,
        title: String(object.attributes.title),
        vis,
        withinMs: analyticsFiles.has(d.file) ? ANALYTICS_WITHIN_MS : WITHIN_MS,
        index: `${ns}${target.alias}`,
        body: toSearchBody(object, { timeField: target.timeField, timeRange, autoInterval: '1m' }),
      },
    ];
  });
});

let startedAt = 0;
const running: RunningProcess[] = [];

async function problemsOf(panel: (typeof panels)[number]): Promise<string[]> {
  try {
    const res = await search.client().search({ index: panel.index, body: panel.body as never });
    return checkResponse(panel.vis, res.body);
  } catch (err) {
    return [(err as Error).message.split('\n')[0]!];
  }
}

it('starts the services of services.json as ./streamdex does, each one-off job ending with 0', async () => {
  expect(panels.length).toBeGreaterThan(60);
  for (const s of services.filter((x) => x.run === 'once')) {
    const r = await runToEnd(serviceName(s), { env: { ...s.env, ...stackEnv }, args: s.args });
    expect([s.name, r.code]).toEqual([s.name, 0]);
  }
  startedAt = Date.now();
  for (const s of services.filter((x) => x.run === 'always')) {
    running.push(startService(serviceName(s), { name: s.name, env: { ...s.env, ...stackEnv }, args: s.args }));
  }
  expect(running.map((p) => p.name)).toEqual(expect.arrayContaining(['processor', 'indexer', 'analytics', 'producer-login', 'producer-music', 'producer-interactions']));
});

it('shows data on every panel at its default time range within two minutes of the start (three for the window and alert dashboards)', async () => {
  expect(startedAt).toBeGreaterThan(0);
  const filled = new Map<string, number>();
  let late: string[] = [];
  for (;;) {
    await sleep(POLL_MS);
    const exited = running.filter((p) => p.child.exitCode !== null || p.child.signalCode !== null);
    if (exited.length > 0) throw new Error(`service stopped: ${exited.map((p) => `${p.name}: ${p.tail(10)}`).join('\n')}`);
    const elapsed = Date.now() - startedAt;
    late = [];
    for (const panel of panels.filter((p) => !filled.has(p.key))) {
      const problems = await problemsOf(panel);
      if (problems.length === 0) filled.set(panel.key, elapsed);
      else if (elapsed >= panel.withinMs) late.push(`${panel.title} (${panel.withinMs / 1000} s): ${problems.join('; ')}`);
    }
    if (late.length > 0 || filled.size === panels.length) break;
  }
  expect(late).toEqual([]);
  const slowest = Math.max(...filled.values());
  process.stdout.write(`every panel had data ${(slowest / 1000).toFixed(0)} s after the start\n`);
}, ANALYTICS_WITHIN_MS + 90_000);
