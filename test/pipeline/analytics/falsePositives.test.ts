/**
 * The login rules over an hour of normal generated traffic (producer --shape users, no
 * anomaly injected): how often they fire. Run alone to see the figures:
 *   npx jest test/pipeline/analytics/falsePositives.test.ts
 */
import { PartitionWindows, streamSpecs, type AlertDocument } from '../../../pipeline/analytics';
import { loginAnalytics } from '../../../pipeline/chains/login/analytics';
import { loginProcessing } from '../../../pipeline/chains/login/processing';
import { processRecord } from '../../../pipeline/core';
import { loadConfig } from '../../../pipeline/config';
import { IpMode } from '../../../pipeline/enrich';
import { analyticsSettings } from '../../../consumer-analytics/src/options';
import { generateLogins } from '../../../producer/src/generators/login';

const START = Date.UTC(2026, 10, 2, 8, 0, 0);
const HOUR = 3_600_000;

function normalHour(seed: number) {
  const settings = loadConfig(analyticsSettings, {});
  const { events } = streamSpecs('login', loginAnalytics.analytics, {
    aggregateSizesMs: settings.ANALYTICS_WINDOWS.map((s: number) => s * 1000),
    allowedLatenessMs: settings.ANALYTICS_ALLOWED_LATENESS_SECONDS * 1000,
    settings,
  });
  const windows = new PartitionWindows(events, 0);
  const ctx = { ipMode: IpMode.MASK, ipHashSecret: undefined, currentAppVersion: '2.3.0', nowMs: START + 2 * HOUR, maxEventAgeMs: 3650 * 86_400_000, maxFutureSkewMs: 3_600_000 };
  const alerts: AlertDocument[] = [];
  const users = new Map<string, number>();
  const gen = generateLogins({ seed, startTimeMs: START });
  let offset = 0;
  for (;;) {
    const g = gen.next().value!;
    if (g.eventTimeMs >= START + HOUR) break;
    const out = processRecord(loginProcessing, { topic: 'user-login', partition: 0, offset, key: null, value: g.value, headers: [] }, ctx, { maxRecordBytes: 65_536, filters: [] });
    if (out.kind !== 'ok') throw new Error(`generated login not processed: ${JSON.stringify(out)}`);
    const doc = out.document as unknown as Record<string, unknown>;
    users.set(doc['user_id'] as string, (users.get(doc['user_id'] as string) ?? 0) + 1);
    for (const c of windows.add({ offset, eventTimeMs: Date.parse(doc['event_time'] as string), eventId: out.id, doc }).closed) alerts.push(...c.alerts);
    offset++;
  }
  // Close the last windows.
  for (const c of windows.add({ offset, eventTimeMs: START + 10 * HOUR, eventId: 'end', doc: {} }).closed) alerts.push(...c.alerts);
  return { logins: offset, users: users.size, alerts };
}

describe('login rules on an hour of normal traffic', () => {
  it.each([1, 2, 3])('seed %i: rarely fire', (seed) => {
    const { logins, users, alerts } = normalHour(seed);
    const byRule = (rule: string) => alerts.filter((a) => a.rule === rule);
    const burst = byRule('login_burst');
    const travel = byRule('impossible_travel');
    // eslint-disable-next-line no-console
    console.log(
      JSON.stringify({
        seed,
        logins,
        users,
        login_burst: burst.length,
        impossible_travel: travel.length,
        per_1000_logins: Math.round(((burst.length + travel.length) / logins) * 1000 * 1000) / 1000,
        travel: travel.slice(0, 5).map((a) => [a.evidence.from?.place, a.evidence.to?.place, a.evidence.distance_km, a.evidence.speed_kmh]),
      }),
    );
    expect(logins).toBeGreaterThan(30_000);
    expect(burst.length + travel.length).toBeLessThanOrEqual(Math.ceil(logins / 1000));
  });
});
