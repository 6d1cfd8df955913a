import { Faker, en } from '@faker-js/faker';
import type { GeneratedRecord, GeneratorOptions } from '../../chains/types';
import { DAY_MS, STATES, UA, activityWeight, deviceCount, loginRecord, loginTimes, versionAt, type Device } from './loginTraits';

interface User {
  id: string;
  locale: string;
  homeIp: string;
  devices: Device[];
  weight: number;
}

/**
 * `--shape takehome`: the login stream as this project first generated it, kept byte for
 * byte for compatibility tests: a pool of users whose every fifth login comes from a
 * random address anywhere (private, loopback and any country), app updates lagging 0-60
 * days behind each release (so most logins are on an outdated version).
 */
export function* takehomeLogins(options: GeneratorOptions): Iterator<GeneratedRecord> {
  const { seed, startTimeMs } = options;
  const f = new Faker({ locale: [en] });
  f.seed(seed);
  const users = Array.from({ length: 2000 }, () => makeUser(f));
  for (const { t, user } of loginTimes(f, users, options)) {
    const device = f.helpers.arrayElement(user.devices);
    const ip = f.number.float() < 0.8 ? user.homeIp : randomIp(f);
    yield loginRecord(f, { user_id: user.id, app_version: versionAt(t - device.updateLagMs, startTimeMs), ip, locale: user.locale, device_id: device.id, t }, device);
  }
}

function makeUser(f: Faker): User {
  const devices = Array.from({ length: deviceCount(f) }, (): Device => {
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
    weight: activityWeight(f),
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
