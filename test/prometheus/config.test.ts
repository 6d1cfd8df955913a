/**
 * The scrape targets are the services that expose /metrics: in compose every long-running
 * service of services.json on its container's port 9464, in local mode the metricsPort
 * services.json gives each. Every alert rule names what to do (a runbook annotation) and
 * every alert has a unit test in alerts.test.yml.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { loadServiceList } from '../compose/serviceList';

const dir = path.resolve(__dirname, '..', '..', 'prometheus');
const yaml = (file: string) => parse(readFileSync(path.join(dir, file), 'utf8'));
const targetsOf = (file: string): string[] => {
  const config = yaml(file) as { scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }> }> };
  return config.scrape_configs.filter((c) => c.job_name === 'streamdex').flatMap((c) => c.static_configs.flatMap((s) => s.targets));
};
const always = loadServiceList().services.filter((s) => s.run === 'always');

it('compose scrapes every long-running service on port 9464', () => {
  expect(targetsOf('prometheus.yml').sort()).toEqual(always.map((s) => `${s.compose}:9464`).sort());
});

it('local mode scrapes every long-running local service on its metricsPort', () => {
  expect(targetsOf('prometheus.local.yml').sort()).toEqual(always.filter((s) => s.local).map((s) => `127.0.0.1:${s.metricsPort}`).sort());
});

it('compose runs Prometheus from the official image, pinned, with this folder as its configuration', () => {
  const compose = parse(readFileSync(path.resolve(dir, '..', 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, { image?: string; volumes?: string[] }> };
  const prometheus = compose.services.prometheus!;
  expect(prometheus.image).toMatch(/^prom\/prometheus:v\d+\.\d+\.\d+$/);
  expect(prometheus.volumes).toContain('./prometheus:/etc/prometheus:ro');
});

it('alerts on RSS at 90 % of the bound services.json sets for every service', () => {
  const rules = (yaml('alerts.yml') as { groups: Array<{ rules: Array<{ alert: string; expr: string; annotations: Record<string, string> }> }> }).groups.flatMap((g) => g.rules);
  const rss = rules.find((r) => r.alert === 'StreamdexRssNearBound')!;
  const bound = loadServiceList().node.rssBoundMiB;
  expect(rss.expr.replace(/\s+/g, ' ').trim()).toBe(`process_resident_memory_bytes{job="streamdex"} > 0.9 * ${bound} * 1024 * 1024`);
  expect(rss.annotations.summary).toContain(`near its bound (${bound} MiB)`);
});

it('gives every alert a runbook and a unit test', () => {
  const rules = (yaml('alerts.yml') as { groups: Array<{ rules: Array<{ alert: string; annotations: Record<string, string> }> }> }).groups.flatMap((g) => g.rules);
  expect(rules.map((r) => r.alert)).toEqual(['StreamdexServiceDown', 'StreamdexConsumerLagGrowing', 'StreamdexDeadLetterRateHigh', 'StreamdexIndexRejections', 'StreamdexOpenSearchRejecting', 'StreamdexRssNearBound']);
  for (const r of rules) expect(r.annotations.runbook).toMatch(/^README\.md#when-something-is-wrong: /);
  const tests = yaml('alerts.test.yml') as { tests: Array<{ alert_rule_test: Array<{ alertname: string; exp_alerts: unknown[] }> }> };
  const firing = new Set(tests.tests.flatMap((t) => t.alert_rule_test.filter((a) => a.exp_alerts.length > 0).map((a) => a.alertname)));
  const quiet = new Set(tests.tests.flatMap((t) => t.alert_rule_test.filter((a) => a.exp_alerts.length === 0).map((a) => a.alertname)));
  for (const r of rules) {
    expect(firing).toContain(r.alert);
    expect(quiet).toContain(r.alert);
  }
});
