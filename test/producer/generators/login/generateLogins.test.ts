import geoip from 'geoip-lite';
import type { GeneratedRecord } from '../../../../producer/src/chains';
import { APP_RELEASES, COUNTRY_BLOCKS, generateLogins } from '../../../../producer/src/generators/login';

const START = Date.UTC(2025, 5, 1);
const HOUR_MS = 3600_000;
const CURRENT = APP_RELEASES[APP_RELEASES.length - 1]!;

interface Login {
  user_id: string;
  app_version: string;
  ip: string;
  locale: string;
  device_id: string;
  t: number;
  country: string | undefined;
}

function take(shape: string | undefined, count: number, seed = 1): Login[] {
  const it = generateLogins({ seed, startTimeMs: START, ...(shape ? { shape } : {}) });
  return Array.from({ length: count }, () => {
    const r = it.next().value as GeneratedRecord;
    const e = JSON.parse(r.value!.toString()) as Omit<Login, 't' | 'country'>;
    return { ...e, t: r.eventTimeMs, country: geoip.lookup(e.ip)?.country };
  });
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const i of items) {
    const k = key(i);
    const list = m.get(k);
    if (list) list.push(i);
    else m.set(k, [i]);
  }
  return m;
}

const share = (logins: readonly Login[], test: (l: Login) => boolean) => logins.filter(test).length / logins.length;
const homeCountry = (l: Login) => COUNTRY_BLOCKS.find((c) => c.locale === l.locale)?.country ?? 'US';

/** Per user, the most distinct countries it logged in from within one clock hour. */
function maxCountriesPerHour(logins: readonly Login[]): number[] {
  return [...groupBy(logins, (l) => l.user_id).values()].map((mine) =>
    Math.max(...[...groupBy(mine, (l) => String(Math.floor(l.t / HOUR_MS))).values()].map((h) => new Set(h.map((l) => l.country).filter(Boolean)).size)),
  );
}

describe('generateLogins --shape takehome', () => {
  const raw = (count: number) => {
    const it = generateLogins({ seed: 1, startTimeMs: START, shape: 'takehome' });
    return Array.from({ length: count }, () => JSON.parse((it.next().value as GeneratedRecord).value!.toString()) as Record<string, unknown>);
  };

  it("emits the Fetch generator's fields, in its order, with its constants", () => {
    const events = raw(2000);
    for (const e of events) {
      expect(Object.keys(e).filter((k) => k !== 'device_type')).toEqual(['user_id', 'app_version', 'ip', 'locale', 'device_id', 'timestamp']);
      expect(e.app_version).toBe('2.3.0');
      expect(e.ip).toMatch(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/);
      expect((e.ip as string).split('.').every((o) => Number(o) <= 255)).toBe(true);
      expect(Number.isInteger(e.timestamp)).toBe(true);
    }
    const missing = events.filter((e) => !('device_type' in e)).length / events.length;
    expect(missing).toBeGreaterThan(0.03);
    expect(missing).toBeLessThan(0.07);
    expect(new Set(events.map((e) => e.device_type).filter(Boolean))).toEqual(new Set(['android', 'iOS']));
  });

  it('makes every message a stranger: a new user and device each time, addresses anywhere', () => {
    const logins = take('takehome', 10_000);
    expect(new Set(logins.map((l) => l.user_id)).size).toBe(logins.length);
    expect(new Set(logins.map((l) => l.device_id)).size).toBe(logins.length);
    expect(new Set(logins.map((l) => l.country).filter(Boolean)).size).toBeGreaterThan(50);
  });
});

describe('generateLogins --shape users (the default)', () => {
  const logins = take(undefined, 10_000);
  const byUser = groupBy(logins, (l) => l.user_id);

  it('is the default shape and deterministic per seed', () => {
    expect(take('users', 200)).toEqual(logins.slice(0, 200));
    expect(take(undefined, 50, 2)).not.toEqual(logins.slice(0, 50));
  });

  it('puts most logins on the current release along a rollout curve: under 35% outdated', () => {
    const versions = groupBy(logins, (l) => l.app_version);
    const current = (versions.get(CURRENT)?.length ?? 0) / logins.length;
    const previous = (versions.get(APP_RELEASES[APP_RELEASES.length - 2]!)?.length ?? 0) / logins.length;
    expect(1 - current).toBeLessThan(0.35);
    expect(1 - current).toBeGreaterThan(0.1);
    // The release before is the next largest group, then older ones.
    expect(previous).toBeGreaterThan(0.08);
    expect(previous).toBeGreaterThan(1 - current - previous);
  });

  it('keeps 98% of users within two countries in every hour', () => {
    const perHour = maxCountriesPerHour(logins);
    expect(perHour.filter((n) => n <= 2).length / perHour.length).toBeGreaterThanOrEqual(0.98);
  });

  it('logs a user in from home, its country the one its locale names, except on rare trips', () => {
    const abroad = share(logins, (l) => l.country !== undefined && l.country !== homeCountry(l));
    expect(abroad).toBeGreaterThan(0.002);
    expect(abroad).toBeLessThan(0.05);
    expect(share(logins, (l) => l.country === undefined)).toBeLessThan(0.02);
    expect(share(logins, (l) => /^10\./.test(l.ip))).toBeCloseTo(share(logins, (l) => l.country === undefined), 5);
  });

  it('uses one home address and one carrier /24 per user at home, and one to three devices', () => {
    for (const mine of byUser.values()) {
      const home = mine.filter((l) => l.country === homeCountry(l));
      expect(new Set(home.map((l) => l.ip.replace(/\.\d+$/, ''))).size).toBeLessThanOrEqual(2);
      const devices = new Set(mine.map((l) => l.device_id)).size;
      expect(devices).toBeGreaterThanOrEqual(1);
      expect(devices).toBeLessThanOrEqual(3);
    }
  });

  it('sends some users abroad for days: about 2% of the logins over a simulated fortnight', () => {
    // A login every two minutes of the clock spreads 10,000 logins over two weeks.
    let clock = START;
    const it = generateLogins({ seed: 3, startTimeMs: START, now: () => (clock += 120_000) });
    const spread = Array.from({ length: 10_000 }, () => {
      const r = it.next().value as GeneratedRecord;
      const e = JSON.parse(r.value!.toString()) as Login;
      return { ...e, t: r.eventTimeMs, country: geoip.lookup(e.ip)?.country };
    });
    // Each login drawn takes one tick of the clock; one drawn on a travel day is not sent, so the
    // 10,000 sent span a little more than 10,000 ticks: whole ticks apart, and at most a few
    // percent more (two days without logins per trip of one to four days every ~120 days).
    const span = spread[spread.length - 1]!.t - START;
    expect(span % 120_000).toBe(0);
    expect(span).toBeGreaterThan(10_000 * 120_000);
    expect(span).toBeLessThan(10_000 * 120_000 * 1.05);
    const located = spread.filter((l) => l.country !== undefined);
    const abroad = located.filter((l) => l.country !== homeCountry(l));
    expect(abroad.length / located.length).toBeGreaterThan(0.01);
    expect(abroad.length / located.length).toBeLessThan(0.04);
    // Trips, not single logins: a traveller logs in from the same place abroad.
    const tripAddresses = new Set(abroad.map((l) => `${l.user_id} ${l.ip}`));
    expect(tripAddresses.size).toBeLessThan(abroad.length / 2);
    expect(new Set(abroad.map((l) => l.user_id)).size).toBeGreaterThan(5);
    // A day of travel: from the last login at home to the first abroad (and back) at least a day passes.
    const last = new Map<string, (typeof located)[number]>();
    const crossings: number[] = [];
    for (const l of located) {
      const before = last.get(l.user_id);
      if (before && before.country !== l.country) crossings.push(l.t - before.t);
      last.set(l.user_id, l);
    }
    expect(crossings.length).toBeGreaterThan(5);
    expect(Math.min(...crossings)).toBeGreaterThanOrEqual(86_400_000);
  });
});
