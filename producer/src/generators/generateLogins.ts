import { Faker, en } from '@faker-js/faker';
import type { ChainGenerator, GeneratedRecord, GeneratorOptions } from '../chains/types';
import { bisect } from './bisect';

/** Releases of the fictional app, oldest first; CURRENT_APP_VERSION defaults to the last. */
export const APP_RELEASES = ['2.0.0', '2.1.0', '2.1.3', '2.2.0', '2.2.1', '2.3.0'] as const;
const RELEASE_SPACING_MS = 21 * 24 * 3600_000;
const DAY_MS = 24 * 3600_000;

const STATES = ['AL', 'AK', 'AZ', 'CA', 'CO', 'FL', 'GA', 'IL', 'MA', 'MI', 'NC', 'NJ', 'NY', 'OH', 'PA', 'RI', 'TX', 'VA', 'WA', 'WI'] as const;

const UA = {
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

interface Device {
  id: string;
  type: 'android' | 'iOS';
  userAgent: string;
  /** Days this device lags behind a release before updating. */
  updateLagMs: number;
}

interface User {
  id: string;
  locale: string;
  homeIp: string;
  devices: Device[];
  /** Relative weight: a few users log in far more often than most. */
  weight: number;
}

/**
 * Login traffic that looks like a real app's: a fixed pool of users with a few devices
 * each, logging in repeatedly from a mostly stable address, updating the app some days
 * after each release. Valid records only; the producer mixes in malformed ones on request.
 */
export const generateLogins: ChainGenerator = (options) => loginIterator(options);

function* loginIterator({ seed, startTimeMs, now }: GeneratorOptions): Iterator<GeneratedRecord> {
  const f = new Faker({ locale: [en] });
  f.seed(seed);
  const users = Array.from({ length: 2000 }, () => makeUser(f));
  const cumulative: number[] = [];
  let total = 0;
  for (const u of users) cumulative.push((total += u.weight));

  let simulated = startTimeMs;
  for (;;) {
    simulated += Math.round(f.number.float({ min: 0, max: 200 }));
    const t = now ? now() : simulated;
    const user = users[bisect(cumulative, f.number.float({ min: 0, max: total }))]!;
    const device = f.helpers.arrayElement(user.devices);
    const event: Record<string, unknown> = {
      user_id: user.id,
      app_version: versionAt(t - device.updateLagMs, startTimeMs),
      ip: f.number.float() < 0.8 ? user.homeIp : randomIp(f),
      locale: user.locale,
      device_id: device.id,
      timestamp: Math.floor(t / 1000),
    };
    // The take-home's own sample shows the timestamp as a string now and then.
    if (f.number.float() < 0.03) event.timestamp = String(event.timestamp);
    if (f.number.float() >= 0.05) event.device_type = device.type;
    if (f.number.float() < 0.4) event.user_agent = device.userAgent;
    yield { topic: 'user-login', key: user.id, value: Buffer.from(JSON.stringify(event)), eventTimeMs: t };
  }
}

function makeUser(f: Faker): User {
  const deviceCount = f.helpers.weightedArrayElement([
    { weight: 6, value: 1 },
    { weight: 3, value: 2 },
    { weight: 1, value: 3 },
  ]);
  const devices = Array.from({ length: deviceCount }, (): Device => {
    const type = f.number.float() < 0.55 ? 'android' : 'iOS';
    return {
      id: f.string.uuid(),
      type,
      userAgent: f.helpers.arrayElement(UA[type]),
      updateLagMs: Math.round(f.number.float({ min: 0, max: 60 }) * DAY_MS),
    };
  });
  return {
    id: f.string.uuid(),
    locale: f.helpers.arrayElement(STATES),
    homeIp: randomIp(f),
    devices,
    weight: Math.pow(f.number.float({ min: 0.01, max: 1 }), 3),
  };
}

/** Mostly public (geolocatable) addresses, some private and reserved, as real logs have. */
function randomIp(f: Faker): string {
  const r = f.number.float();
  if (r < 0.06) return `192.168.${f.number.int(255)}.${f.number.int({ min: 1, max: 254 })}`;
  if (r < 0.09) return `10.${f.number.int(255)}.${f.number.int(255)}.${f.number.int({ min: 1, max: 254 })}`;
  if (r < 0.1) return `127.0.0.${f.number.int({ min: 1, max: 254 })}`;
  for (;;) {
    const a = f.number.int({ min: 1, max: 223 });
    if (a === 10 || a === 127 || a === 100 || a === 169 || a === 172 || a === 192) continue;
    return `${a}.${f.number.int(255)}.${f.number.int(255)}.${f.number.int({ min: 1, max: 254 })}`;
  }
}

/** The newest release out at time t; the last one came out a week before the run started. */
function versionAt(t: number, startTimeMs: number): string {
  const latestAt = startTimeMs - 7 * DAY_MS;
  const behind = Math.ceil((latestAt - t) / RELEASE_SPACING_MS);
  const i = APP_RELEASES.length - 1 - Math.max(0, behind);
  return APP_RELEASES[Math.max(0, i)]!;
}
