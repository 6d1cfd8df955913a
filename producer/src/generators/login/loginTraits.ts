import type { Faker } from '@faker-js/faker';
import type { GeneratedRecord, GeneratorOptions } from '../../chains/types';
import { bisect } from '../bisect';

/** Releases of the fictional app, oldest first; CURRENT_APP_VERSION defaults to the last. */
export const APP_RELEASES = ['2.0.0', '2.1.0', '2.1.3', '2.2.0', '2.2.1', '2.3.0'] as const;
const RELEASE_SPACING_MS = 21 * 24 * 3600_000;
export const DAY_MS = 24 * 3600_000;

export const STATES = ['AL', 'AK', 'AZ', 'CA', 'CO', 'FL', 'GA', 'IL', 'MA', 'MI', 'NC', 'NJ', 'NY', 'OH', 'PA', 'RI', 'TX', 'VA', 'WA', 'WI'] as const;

export const UA = {
  android: [
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
    'Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Mobile Safari/537.36',
    'Mozilla/5.0 (Linux; Android 12; moto g(60)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36',
  ],
  iOS: [
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
    'Mozilla/5.0 (iPad; CPU OS 16_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1',
  ],
} as const;

export interface Device {
  id: string;
  type: 'android' | 'iOS';
  userAgent: string;
  /** How long this device lags behind a release before updating. */
  updateLagMs: number;
}

/** Activity weight: a few users log in far more often than most. */
export function activityWeight(f: Faker): number {
  return Math.pow(f.number.float({ min: 0.01, max: 1 }), 3);
}

/** One to three devices per user, most with one. */
export function deviceCount(f: Faker): number {
  return f.helpers.weightedArrayElement([
    { weight: 6, value: 1 },
    { weight: 3, value: 2 },
    { weight: 1, value: 3 },
  ]);
}

/** Endless logins: the next one's time (simulated, ~5 a second, or the clock's) and who, by weight. */
export function* loginTimes<U extends { weight: number }>(f: Faker, users: readonly U[], { startTimeMs, now }: GeneratorOptions): Generator<{ t: number; user: U }> {
  const cumulative: number[] = [];
  let total = 0;
  for (const u of users) cumulative.push((total += u.weight));
  let simulated = startTimeMs;
  for (;;) {
    simulated += Math.round(f.number.float({ min: 0, max: 200 }));
    const t = now ? now() : simulated;
    yield { t, user: users[bisect(cumulative, f.number.float({ min: 0, max: total }))]! };
  }
}

/** The newest release out at time t; the last one came out a week before the run started. */
export function versionAt(t: number, startTimeMs: number): string {
  const latestAt = startTimeMs - 7 * DAY_MS;
  const behind = Math.ceil((latestAt - t) / RELEASE_SPACING_MS);
  const i = APP_RELEASES.length - 1 - Math.max(0, behind);
  return APP_RELEASES[Math.max(0, i)]!;
}

export interface LoginFields {
  user_id: string;
  app_version: string;
  ip: string;
  locale: string;
  device_id: string;
  /** Event time, epoch ms. */
  t: number;
}

/**
 * One login record with the take-home's own quirks: the timestamp as a string now and
 * then (as its sample shows), `device_type` missing in ~5%, a user agent on 40%.
 */
export function loginRecord(f: Faker, e: LoginFields, device: Device): GeneratedRecord {
  const event: Record<string, unknown> = {
    user_id: e.user_id,
    app_version: e.app_version,
    ip: e.ip,
    locale: e.locale,
    device_id: e.device_id,
    timestamp: Math.floor(e.t / 1000),
  };
  if (f.number.float() < 0.03) event.timestamp = String(event.timestamp);
  if (f.number.float() >= 0.05) event.device_type = device.type;
  if (f.number.float() < 0.4) event.user_agent = device.userAgent;
  return { topic: 'user-login', key: e.user_id, value: Buffer.from(JSON.stringify(event)), eventTimeMs: e.t };
}
