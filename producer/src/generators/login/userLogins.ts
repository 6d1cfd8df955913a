import { Faker, en } from '@faker-js/faker';
import type { GeneratedRecord, GeneratorOptions } from '../../chains/types';
import { COUNTRY_BLOCKS, type CountryBlocks } from './countryBlocks';
import { DAY_MS, STATES, UA, activityWeight, deviceCount, loginRecord, loginTimes, versionAt, type Device } from './loginTraits';

/** Mean time at home between two trips, and a trip's length: ~2% of the time away. */
const TRIP_GAP_MEAN_MS = 120 * DAY_MS;
const TRIP_DAYS = { min: 1, max: 4 } as const;
/**
 * The day of the journey there and the day back: no logins. A login at home and the next one
 * abroad are then at least a day apart, under 1,000 km/h for any two places on Earth (half the
 * circumference is ~20,000 km), as a real traveller's are; without it the impossible-travel
 * rule fired on normal traffic wherever a trip began between two logins minutes apart.
 */
const TRAVEL_DAY_MS = DAY_MS;
/** Of the logins at home: from the home router's one address, else from the phone's carrier. */
const HOME_WIFI_SHARE = 0.65;
/** Internal addresses (a corporate VPN, a misconfigured proxy), as real login logs have a few. */
const PRIVATE_SHARE = 0.01;
/**
 * The rollout curve: most devices update within days of a release (mean 3 days), a
 * fifth lag for weeks (mean 30 days). With the last release a week old, about three
 * quarters of logins come from the current version, a sixth from the one before.
 */
const PROMPT_UPDATER_SHARE = 0.8;
const PROMPT_LAG_MEAN_DAYS = 3;
const LATE_LAG_MEAN_DAYS = 30;

interface Trip {
  fromMs: number;
  untilMs: number;
  ip: string;
}

interface User {
  id: string;
  locale: string;
  home: CountryBlocks;
  homeIp: string;
  /** The carrier's /24 ("a.b.c") the user's phones get an address from. */
  mobileBlock: string;
  devices: Device[];
  weight: number;
  trip: Trip;
}

/**
 * The user pool, the first thing a seed's faker draws: the profile generator draws the same
 * pool (loginUsers) so that its `login.uuid` values are these users' ids.
 */
function createUsers(f: Faker, startTimeMs: number) {
  const countryWeights = COUNTRY_BLOCKS.map((c) => ({ weight: c.weight, value: c }));
  const pickCountry = () => f.helpers.weightedArrayElement(countryWeights);
  const addressIn = (c: CountryBlocks) => `${f.helpers.arrayElement(c.blocks)}.${f.number.int(255)}.${f.number.int({ min: 1, max: 254 })}`;
  const tripAfter = (home: CountryBlocks, fromMs: number): Trip => {
    let abroad = pickCountry();
    while (abroad === home) abroad = pickCountry();
    return { fromMs, untilMs: fromMs + Math.round(f.number.float(TRIP_DAYS) * DAY_MS), ip: addressIn(abroad) };
  };

  const users = Array.from({ length: 2000 }, (): User => {
    const home = pickCountry();
    const homeIp = addressIn(home);
    const mobileBlock = addressIn(home).replace(/\.\d+$/, '');
    const devices = Array.from({ length: deviceCount(f) }, (): Device => {
      const type = f.number.float() < 0.55 ? 'android' : 'iOS';
      const lagMeanDays = f.number.float() < PROMPT_UPDATER_SHARE ? PROMPT_LAG_MEAN_DAYS : LATE_LAG_MEAN_DAYS;
      return { id: f.string.uuid(), type, userAgent: f.helpers.arrayElement(UA[type]), updateLagMs: Math.round(exponential(f, lagMeanDays) * DAY_MS) };
    });
    // The trip clock starts in its steady state: some users are already away.
    const meanTripMs = ((TRIP_DAYS.min + TRIP_DAYS.max) / 2) * DAY_MS;
    let trip: Trip;
    if (f.number.float() < meanTripMs / (meanTripMs + TRIP_GAP_MEAN_MS)) {
      trip = tripAfter(home, startTimeMs);
      const shift = Math.round(f.number.float() * (trip.untilMs - trip.fromMs));
      trip.fromMs -= shift;
      trip.untilMs -= shift;
    } else {
      trip = tripAfter(home, startTimeMs + Math.round(exponential(f, TRIP_GAP_MEAN_MS)));
    }
    const id = f.string.uuid();
    return { id, locale: home.locale ?? f.helpers.arrayElement(STATES), home, homeIp, mobileBlock, devices, weight: activityWeight(f), trip };
  });
  return { users, tripAfter };
}

/** The ids and home countries of the users `--shape users` logs in with for this seed. */
export function loginUsers(seed: number): Array<{ readonly id: string; readonly country: string }> {
  const f = new Faker({ locale: [en] });
  f.seed(seed);
  return createUsers(f, 0).users.map((u) => ({ id: u.id, country: u.home.country }));
}

/**
 * `--shape users` (the default): a fixed pool of users, each living somewhere (a country,
 * the home router's address and a carrier block there) with one to three devices,
 * travelling now and then (from a trip's address abroad for one to four days, ~2% of
 * the time, with a day without logins on the way there and on the way back), updating the app along a rollout curve.
 */
export function* userLogins(options: GeneratorOptions): Iterator<GeneratedRecord> {
  const { seed, startTimeMs } = options;
  const f = new Faker({ locale: [en] });
  f.seed(seed);
  const { users, tripAfter } = createUsers(f, startTimeMs);
  for (const { t, user } of loginTimes(f, users, options)) {
    // The next trip leaves after the day back and a day of its own to get there, at the earliest.
    while (t >= user.trip.untilMs + TRAVEL_DAY_MS) user.trip = tripAfter(user.home, user.trip.untilMs + 2 * TRAVEL_DAY_MS + Math.round(exponential(f, TRIP_GAP_MEAN_MS)));
    if (travelling(user.trip, t)) continue;
    const device = f.helpers.arrayElement(user.devices);
    let ip: string;
    const r = f.number.float();
    if (r < PRIVATE_SHARE) ip = `10.${f.number.int(255)}.${f.number.int(255)}.${f.number.int({ min: 1, max: 254 })}`;
    else if (t >= user.trip.fromMs) ip = user.trip.ip;
    else if (r < PRIVATE_SHARE + HOME_WIFI_SHARE) ip = user.homeIp;
    else ip = `${user.mobileBlock}.${f.number.int({ min: 1, max: 254 })}`;
    yield loginRecord(f, { user_id: user.id, app_version: versionAt(t - device.updateLagMs, startTimeMs), ip, locale: user.locale, device_id: device.id, t }, device);
  }
}

/** On the way there or back: the user does not log in. */
function travelling(trip: Trip, t: number): boolean {
  return (t >= trip.fromMs - TRAVEL_DAY_MS && t < trip.fromMs) || (t >= trip.untilMs && t < trip.untilMs + TRAVEL_DAY_MS);
}

function exponential(f: Faker, mean: number): number {
  return -mean * Math.log(1 - f.number.float());
}
