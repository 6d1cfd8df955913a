/**
 * What an Eventsim record must look like, written from Eventsim's Output.scala and the
 * streamify schemas independently of the simulator, so tests do not check the simulator
 * against itself. Shared by the music generator tests.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { EventsimTopic, type EventsimRecord, type EventsimTopicName } from '../../../../producer/src/generators/music';

export const PAGES = new Set([
  'About',
  'Cancel',
  'Cancellation Confirmation',
  'Downgrade',
  'Error',
  'Help',
  'Home',
  'Login',
  'Logout',
  'NextSong',
  'Register',
  'Save Settings',
  'Settings',
  'Submit Downgrade',
  'Submit Registration',
  'Submit Upgrade',
  'Upgrade',
]);

const COMMON = ['ts', 'sessionId', 'level', 'itemInSession', 'zip', 'city', 'state', 'lat', 'lon', 'userAgent'];
const USER = ['userId', 'firstName', 'lastName', 'gender', 'registration'];
const SONG = ['artist', 'song', 'duration'];

function showsUser(topic: EventsimTopicName, v: Record<string, unknown>): boolean {
  if (topic === EventsimTopic.auth) return v['success'] === true;
  return v['auth'] === 'Logged In' || v['auth'] === 'Cancelled';
}

/** The exact, sorted key set a record of `topic` with these values must have. */
export function expectedKeys(topic: EventsimTopicName, v: Record<string, unknown>): string[] {
  const keys = [...COMMON];
  if (topic === EventsimTopic.pageView) keys.push('page', 'auth', 'method', 'status');
  if (topic === EventsimTopic.listen || topic === EventsimTopic.statusChange) keys.push('auth');
  if (topic === EventsimTopic.auth) keys.push('success');
  if (topic === EventsimTopic.listen || (topic === EventsimTopic.pageView && v['page'] === 'NextSong')) keys.push(...SONG);
  if (showsUser(topic, v)) keys.push(...USER);
  return keys.sort();
}

const isInt = (x: unknown): boolean => typeof x === 'number' && Number.isSafeInteger(x);
const isText = (x: unknown): boolean => typeof x === 'string' && x.length > 0;

/** Type problems of one record (empty when it looks like Eventsim's). */
export function valueProblems(topic: EventsimTopicName, v: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, what: string): void => {
    if (!ok) problems.push(`${what}: ${JSON.stringify(v)}`);
  };
  check(isInt(v['ts']) && (v['ts'] as number) > 0, 'ts is epoch ms');
  check(isInt(v['sessionId']), 'sessionId is a long');
  check(v['level'] === 'free' || v['level'] === 'paid', 'level is free/paid');
  check(isInt(v['itemInSession']) && (v['itemInSession'] as number) >= 0, 'itemInSession is an int >= 0');
  check(typeof v['zip'] === 'string' && /^\d{5}$/.test(v['zip']), 'zip is 5 digits');
  check(isText(v['city']), 'city');
  check(typeof v['state'] === 'string' && /^[A-Z]{2}$/.test(v['state']), 'state is 2 letters');
  check(typeof v['lat'] === 'number' && (v['lat'] as number) > 18 && (v['lat'] as number) < 72, 'lat in the US');
  check(typeof v['lon'] === 'number' && (v['lon'] as number) > -170 && (v['lon'] as number) < -65, 'lon in the US');
  check(typeof v['userAgent'] === 'string' && /^"Mozilla\/5\.0 \(.+\)[^"]*"$/.test(v['userAgent']), 'quoted user agent');
  if ('auth' in v) {
    check(['Guest', 'Logged In', 'Logged Out', 'Cancelled'].includes(v['auth'] as string), 'auth value');
  }
  if ('userId' in v) {
    check(isInt(v['userId']), 'userId is a long');
    check(isText(v['firstName']) && isText(v['lastName']), 'names');
    check(v['gender'] === 'M' || v['gender'] === 'F', 'gender M/F');
    check(isInt(v['registration']) && (v['registration'] as number) <= (v['ts'] as number), 'registration before ts');
  }
  if ('duration' in v) {
    check(isText(v['artist']) && isText(v['song']), 'artist and song');
    check(typeof v['duration'] === 'number' && (v['duration'] as number) > 0, 'duration in seconds');
  }
  if (topic === EventsimTopic.pageView) {
    const page = v['page'] as string;
    check(PAGES.has(page), 'page is one of the 17');
    const redirect = ['Cancel', 'Login', 'Logout', 'Save Settings', 'Submit Downgrade', 'Submit Registration', 'Submit Upgrade'];
    const [method, status] = redirect.includes(page)
      ? ['PUT', 307]
      : page === 'NextSong'
        ? ['PUT', 200]
        : page === 'Error'
          ? ['GET', 404]
          : ['GET', 200];
    check(v['method'] === method && v['status'] === status, `method/status of ${page}`);
  }
  if (topic === EventsimTopic.auth) check(typeof v['success'] === 'boolean', 'success is boolean');
  return problems;
}

const FIXTURES = join(__dirname, '..', '..', '..', 'fixtures', 'eventsim');

/** The hand-made recorded Eventsim sample of one topic, as records. */
export function readEventsimFixture(topic: EventsimTopicName): EventsimRecord[] {
  return readFileSync(join(FIXTURES, `${topic}.ndjson`), 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => {
      const value = JSON.parse(line) as Record<string, unknown>;
      return { topic, ts: value['ts'] as number, value };
    });
}

export const ALL_TOPICS: readonly EventsimTopicName[] = Object.values(EventsimTopic);
