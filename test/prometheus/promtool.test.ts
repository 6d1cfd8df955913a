/**
 * Prometheus's own checker on the checked-in configuration: `promtool check config` for both
 * scrape configurations (which also checks the rules they load), `promtool check rules` and
 * `promtool test rules`, the unit tests of every alert on recorded series
 * (prometheus/alerts.test.yml). promtool is the Debian package `prometheus`, which .ci/run
 * installs: in CI (CI=true) a missing promtool fails; elsewhere these tests are skipped,
 * saying so.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const dir = path.resolve(__dirname, '..', '..', 'prometheus');
const found = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
const hasPromtool = found.status === 0;
const inCi = process.env.CI === 'true';

function promtool(...args: string[]): { code: number | null; output: string } {
  const r = spawnSync('promtool', args, { cwd: dir, encoding: 'utf8' });
  return { code: r.status, output: `${r.stdout}${r.stderr}` };
}

if (!hasPromtool && !inCi) {
  console.warn('test/prometheus: promtool not found (Debian package `prometheus`); the alert rule checks are SKIPPED here, CI runs them');
}

(hasPromtool || inCi ? describe : describe.skip)('the Prometheus configuration, checked by promtool', () => {
  it('has promtool (in CI it must be installed: .ci/run lists the `prometheus` package)', () => {
    expect(found.error?.message ?? '').toBe('');
    expect(found.status).toBe(0);
  });

  it.each(['prometheus.yml', 'prometheus.local.yml'])('accepts %s and the rules it loads (promtool check config)', (file) => {
    const r = promtool('check', 'config', file);
    expect(r.output).toContain('SUCCESS: 6 rules found');
    expect(r.code).toBe(0);
  });

  it('accepts the alert rules (promtool check rules)', () => {
    const r = promtool('check', 'rules', 'alerts.yml');
    expect(r.output).toContain('SUCCESS: 6 rules found');
    expect(r.code).toBe(0);
  });

  it('passes the alert unit tests on recorded series (promtool test rules)', () => {
    const r = promtool('test', 'rules', 'alerts.test.yml');
    expect(r.output).toContain('SUCCESS');
    expect(r.code).toBe(0);
  });
});
