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
import { COUNTRY_BLOCKS, generateLogins } from '../../../producer/src/generators/login';

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

/**
 * Trips over a simulated fortnight (a login every two minutes of the clock, so each user's
 * logins are days apart and trips begin and end between them), the travel rule's window
 * widened to three days so every trip's first login abroad is paired with the last at home.
 */
function travelFortnight(seed: number) {
  const settings = { ...loadConfig(analyticsSettings, {}), ALERT_TRAVEL_WINDOW_SECONDS: 3 * 86_400 };
  const { events } = streamSpecs('login', loginAnalytics.analytics, { aggregateSizesMs: [], allowedLatenessMs: 0, settings });
  const windows = new PartitionWindows({ ...events, rules: events.rules.filter((r) => r.id === 'impossible_travel') }, 0);
  const ctx = { ipMode: IpMode.MASK, ipHashSecret: undefined, currentAppVersion: '2.3.0', nowMs: START + 30 * 86_400_000, maxEventAgeMs: 3650 * 86_400_000, maxFutureSkewMs: 3_600_000 };
  let clock = START;
  const gen = generateLogins({ seed, startTimeMs: START, now: () => (clock += 120_000) });
  const alerts: AlertDocument[] = [];
  let abroad = 0;
  const logins = 10_000;
  for (let offset = 0; offset < logins; offset++) {
    const g = gen.next().value!;
    const out = processRecord(loginProcessing, { topic: 'user-login', partition: 0, offset, key: null, value: g.value, headers: [] }, ctx, { maxRecordBytes: 65_536, filters: [] });
    if (out.kind !== 'ok') throw new Error(`generated login not processed: ${JSON.stringify(out)}`);
    const doc = out.document as unknown as { event_time: string; geo?: { country?: string } };
    const { locale } = JSON.parse(g.value!.toString('utf8')) as { locale: string };
    const home = COUNTRY_BLOCKS.find((c) => c.locale === locale)?.country ?? 'US';
    if (doc.geo?.country && doc.geo.country !== home) abroad++;
    for (const c of windows.add({ offset, eventTimeMs: Date.parse(doc.event_time), eventId: out.id, doc: doc as unknown as Record<string, unknown> }).closed) alerts.push(...c.alerts);
  }
  for (const c of windows.add({ offset: logins, eventTimeMs: clock + 30 * 86_400_000, eventId: 'end', doc: {} }).closed) alerts.push(...c.alerts);
  return { logins, abroad, alerts };
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

describe('the travel rule over a fortnight of trips', () => {
  it.each([1, 2, 3])('seed %i: never fires on normal travel (a day without logins on the way)', (seed) => {
    const { logins, abroad, alerts } = travelFortnight(seed);
    // eslint-disable-next-line no-console
    console.log(JSON.stringify({ seed, logins, abroad, impossible_travel: alerts.length, travel: alerts.slice(0, 5).map((a) => [a.evidence.from?.place, a.evidence.to?.place, a.evidence.distance_km, a.evidence.speed_kmh]) }));
    expect(abroad).toBeGreaterThan(50);
    expect(alerts).toEqual([]);
  });
});
