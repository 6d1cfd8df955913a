import { PartitionWindows, haversineKm, resolveRule, streamSpecs, type AlertDocument, type WindowInput } from '../../../pipeline/analytics';
import { ANALYTICS } from '../../../pipeline/chains/analytics';
import { loginAnalytics } from '../../../pipeline/chains/login/analytics';
import { musicAnalytics } from '../../../pipeline/chains/music/analytics';
import { loadConfig } from '../../../pipeline/config';
import { ConfigError } from '../../../pipeline/errors';
import { analyticsSettings } from '../../../consumer-analytics/src/options';

const T0 = Date.UTC(2026, 0, 1, 0, 0, 0);
const settings = { ...loadConfig(analyticsSettings, {}), ALERT_LOGIN_BURST_COUNT: 3, ALERT_FAILED_LOGIN_COUNT: 2, ALERT_DEAD_LETTER_SHARE_PERCENT: 20, ALERT_DEAD_LETTER_MIN_COUNT: 3, ALERT_TRAVEL_WINDOW_SECONDS: 7200 };
const windows = { aggregateSizesMs: [10_000, 60_000], allowedLatenessMs: 0, settings };
const PARIS = { lat: 48.8566, lon: 2.3522 };
const NEW_YORK = { lat: 40.7128, lon: -74.006 };
const LYON = { lat: 45.764, lon: 4.8357 };

function alertsOf(spec: ReturnType<typeof streamSpecs>['events'], inputs: WindowInput[]): AlertDocument[] {
  const w = new PartitionWindows(spec, 1);
  const out = inputs.flatMap((i) => w.add(i).closed);
  out.push(...w.add({ offset: 1e6, eventTimeMs: T0 + 86_400_000, eventId: 'end', doc: {} }).closed);
  return out.flatMap((c) => c.alerts);
}

const login = (o: number, s: number, user: string, at = PARIS, country = 'FR'): WindowInput => ({
  offset: o,
  eventTimeMs: T0 + s * 1000,
  eventId: `l${o}`,
  doc: { user_id: user, geo: { country, location: at } },
});

describe('alert rules', () => {
  const { events: loginEvents, deadLetters } = streamSpecs('login', loginAnalytics.analytics, windows);

  it('login burst: more than the threshold in one window, per user, with the event ids', () => {
    const inputs = [0, 1, 2, 3].map((s) => login(s, s, 'a')).concat([0, 1, 2].map((s) => login(10 + s, s, 'b')), [login(20, 61, 'a')]);
    const alerts = alertsOf(loginEvents, inputs).filter((a) => a.rule === 'login_burst');
    expect(alerts).toEqual([
      {
        alert_id: `login_burst:login:a:60s:${T0}`,
        rule: 'login_burst',
        chain: 'login',
        key: 'a',
        partition: 1,
        window: { size_seconds: 60, start: new Date(T0).toISOString(), end: new Date(T0 + 60_000).toISOString() },
        threshold: 3,
        evidence: { count: 4, event_ids: ['l0', 'l1', 'l2', 'l3'] },
      },
    ]);
  });

  it('impossible travel: the fastest pair between countries above the speed, never within one country', () => {
    const km = haversineKm(PARIS, NEW_YORK);
    expect(km).toBeGreaterThan(5830);
    expect(km).toBeLessThan(5840);
    const inputs = [
      login(0, 0, 'a', PARIS, 'FR'),
      login(1, 3600, 'a', NEW_YORK, 'US'), // 5,837 km in an hour: impossible
      login(2, 0, 'b', PARIS, 'FR'),
      login(3, 60, 'b', LYON, 'DE'), // 392 km: under the minimum distance
      login(4, 0, 'c', PARIS, 'FR'),
      login(5, 30, 'c', NEW_YORK, 'FR'), // same country: geolocation noise, not travel
      login(6, 0, 'd', PARIS, 'FR'),
      login(7, 8 * 3600, 'd', NEW_YORK, 'US'), // other window
    ];
    const alerts = alertsOf(loginEvents, inputs).filter((a) => a.rule === 'impossible_travel');
    expect(alerts.map((a) => a.key)).toEqual(['a']);
    {
      expect(alerts[0]!.evidence).toEqual({
        count: 2,
        event_ids: ['l0', 'l1'],
        distance_km: Math.round(km * 10) / 10,
        speed_kmh: Math.round(km * 10) / 10,
        from: { event_id: 'l0', time: new Date(T0).toISOString(), location: PARIS, place: 'FR' },
        to: { event_id: 'l1', time: new Date(T0 + 3600_000).toISOString(), location: NEW_YORK, place: 'US' },
      });
    }
    const quick = alertsOf(loginEvents, [login(0, 0, 'e', PARIS, 'FR'), login(1, 0, 'e', NEW_YORK, 'US')]).filter((a) => a.rule === 'impossible_travel');
    // The same second: taken as one second apart.
    expect(quick.map((a) => a.evidence.speed_kmh)).toEqual([Math.round(km * 3600 * 10) / 10]);
  });

  it('music failed-login burst: only auth events with success false, per session', () => {
    const { events } = streamSpecs('music', musicAnalytics.analytics, windows);
    const auth = (o: number, session: number, success: boolean, type = 'auth'): WindowInput => ({
      offset: o,
      eventTimeMs: T0 + o * 1000,
      eventId: `m${o}`,
      doc: { event_type: type, sessionId: session, success },
    });
    const inputs = [auth(0, 7, false), auth(1, 7, false), auth(2, 7, false), auth(3, 8, false), auth(4, 8, false), auth(5, 8, true), auth(6, 9, false, 'listen'), auth(7, 9, false, 'listen'), auth(8, 9, false, 'listen')];
    expect(alertsOf(events, inputs).map((a) => [a.rule, a.key, a.evidence.count])).toEqual([['failed_login_burst', '7', 3]]);
  });

  it('dead-letter spike: a share of the window\'s records above the threshold, with a minimum count, keyed by the partition pair', () => {
    // Record time; processed offsets even, dead letters odd, as the service shell pairs them.
    const processed = (o: number, s: number): WindowInput => ({ offset: 2 * o, eventTimeMs: T0 + s * 1000, eventId: `p${o}`, doc: {} });
    const dl = (o: number, s: number): WindowInput => ({ offset: 2 * o + 1, eventTimeMs: T0 + s * 1000, eventId: `d${o}`, doc: {}, deadLetter: true });
    const inputs = [
      // [0, 60): 4 dead letters among 10 processed records, 4/14 = 28.6 % > 20 %: an alert.
      ...[0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => processed(i, i)),
      ...[0, 1, 2, 3].map((i) => dl(i, 10 + i)),
      // [60, 120): 3 dead letters among 20, 13 %: under the share.
      ...Array.from({ length: 20 }, (_, i) => processed(20 + i, 60 + i)),
      ...[4, 5, 6].map((i) => dl(i, 80 + i)),
      // [120, 180): 2 dead letters and nothing else, 100 %: under the minimum count.
      ...[7, 8].map((i) => dl(i, 130 + i)),
      processed(50, 150),
    ];
    const alerts = alertsOf(deadLetters, inputs);
    expect(alerts.map((a) => [a.rule, a.key, a.window.start, a.evidence])).toEqual([
      ['dead_letter_spike', 'p1', new Date(T0).toISOString(), { count: 4, total: 14, share_percent: 28.57, event_ids: ['d0', 'd1', 'd2', 'd3'] }],
    ]);
    expect(deadLetters.aggregateSizesMs).toEqual([]);
  });

  it('dead letters never move the record-time watermark: only processed records close a window', () => {
    const w = new PartitionWindows(deadLetters, 0);
    w.add({ offset: 0, eventTimeMs: T0, eventId: 'p0', doc: {} });
    const dls = [1, 3, 5].map((o, i) => w.add({ offset: o, eventTimeMs: T0 + 3_600_000 * (i + 1), eventId: `d${o}`, doc: {}, deadLetter: true }));
    expect(dls.flatMap((r) => r.closed)).toEqual([]);
    expect(w.watermarkMs).toBe(T0);
  });

  it('every rule of every chain names settings the analytics stage has', () => {
    const defaults = loadConfig(analyticsSettings, {});
    for (const chain of ANALYTICS) for (const r of chain.analytics.rules) expect(() => resolveRule(r, defaults)).not.toThrow();
    expect(() => resolveRule({ ...loginAnalytics.analytics.rules[0]!, thresholdSetting: 'NOPE' }, defaults)).toThrow(ConfigError);
  });
});
