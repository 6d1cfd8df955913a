import { createHash } from 'node:crypto';
import { Faker, en } from '@faker-js/faker';
import { NATIONALITIES, NATIONALITY_CODES, NUMERIC_POSTCODES, type Nationality } from './nationalities';

const YEAR_MS = 365.25 * 86_400_000;

/** One user exactly as randomuser.me's API returns it (format 1.4), credentials included. */
export interface RandomUser {
  gender: 'male' | 'female';
  name: { title: string; first: string; last: string };
  location: {
    street: { number: number; name: string };
    city: string;
    state: string;
    country: string;
    postcode: number | string;
    coordinates: { latitude: string; longitude: string };
    timezone: { offset: string; description: string };
  };
  email: string;
  login: { uuid: string; username: string; password: string; salt: string; md5: string; sha1: string; sha256: string };
  dob: { date: string; age: number };
  registered: { date: string; age: number };
  phone: string;
  cell: string;
  id: { name: string; value: string | null };
  picture: { large: string; medium: string; thumbnail: string };
  nat: Nationality;
}

const TIMEZONES = [
  { offset: '-5:00', description: 'Eastern Time (US & Canada), Bogota, Lima' },
  { offset: '-8:00', description: 'Pacific Time (US & Canada)' },
  { offset: '0:00', description: 'Western Europe Time, London, Lisbon, Casablanca' },
  { offset: '+1:00', description: 'Brussels, Copenhagen, Madrid, Paris' },
  { offset: '+5:30', description: 'Bombay, Calcutta, Madras, New Delhi' },
  { offset: '+9:30', description: 'Adelaide, Darwin' },
  { offset: '+10:00', description: 'Eastern Australia, Guam, Vladivostok' },
  { offset: '-3:00', description: 'Brazil, Buenos Aires, Georgetown' },
] as const;

const hex = (algorithm: string, text: string) => createHash(algorithm).update(text).digest('hex');

/**
 * One person for one user id: name, birth, nationality and registration are drawn from a
 * faker seeded by the id, so every later fetch of the same user is the same person;
 * `version` > 0 is a later fetch in which the user has moved and changed address and phone.
 * `nat` is the user's home country when randomuser.me has that nationality.
 */
export function randomUser(userId: string, homeCountry: string, nowMs: number, version = 0): RandomUser {
  const person = new Faker({ locale: [en] });
  person.seed(seedOf(userId, 0));
  const gender = person.helpers.arrayElement(['male', 'female'] as const);
  const first = person.person.firstName(gender);
  const last = person.person.lastName();
  const nat: Nationality = (NATIONALITY_CODES as string[]).includes(homeCountry) ? (homeCountry as Nationality) : person.helpers.arrayElement(NATIONALITY_CODES);
  const dob = person.date.birthdate({ mode: 'age', min: 18, max: 80, refDate: nowMs });
  const registered = new Date(person.date.between({ from: Math.max(dob.getTime() + 12 * YEAR_MS, Date.UTC(2002, 0, 1)), to: nowMs - 86_400_000 }));
  const username = `${person.word.adjective()}${person.animal.type().replace(/\W/g, '')}${person.number.int({ min: 100, max: 999 })}`.toLowerCase();
  const password = person.internet.password({ length: person.number.int({ min: 6, max: 10 }), memorable: true });
  const salt = person.string.alphanumeric(8);
  const pictureId = person.number.int({ min: 0, max: 99 });

  // What changes when the user moves; version 0 is the first fetch.
  const place = new Faker({ locale: [en] });
  place.seed(seedOf(userId, version + 1));
  const { country, id } = NATIONALITIES[nat];
  const postcode = NUMERIC_POSTCODES.has(nat) ? place.number.int({ min: 10000, max: 99999 }) : place.location.zipCode('?## #??').toUpperCase();
  const portrait = (size: string) => `https://randomuser.me/api/portraits/${size}${gender === 'male' ? 'men' : 'women'}/${pictureId}.jpg`;
  return {
    gender,
    name: { title: gender === 'male' ? 'Mr' : person.helpers.arrayElement(['Ms', 'Mrs', 'Miss']), first, last },
    location: {
      street: { number: place.number.int({ min: 1, max: 9999 }), name: place.location.street() },
      city: place.location.city(),
      state: place.location.state(),
      country,
      postcode,
      coordinates: { latitude: place.location.latitude({ precision: 4 }).toFixed(4), longitude: place.location.longitude({ precision: 4 }).toFixed(4) },
      timezone: place.helpers.arrayElement(TIMEZONES),
    },
    email: `${first}.${last}${version > 0 ? version : ''}@example.com`.toLowerCase().replace(/[^a-z0-9.@]/g, ''),
    login: { uuid: userId, username, password, salt, md5: hex('md5', password + salt), sha1: hex('sha1', password + salt), sha256: hex('sha256', password + salt) },
    dob: { date: dob.toISOString(), age: wholeYears(dob.getTime(), nowMs) },
    registered: { date: registered.toISOString(), age: wholeYears(registered.getTime(), nowMs) },
    phone: place.phone.number({ style: 'national' }),
    cell: place.phone.number({ style: 'national' }),
    id: id === '' ? { name: '', value: null } : { name: id, value: place.string.numeric(9) },
    picture: { large: portrait(''), medium: portrait('med/'), thumbnail: portrait('thumb/') },
    nat,
  };
}

function wholeYears(fromMs: number, toMs: number): number {
  const a = new Date(fromMs);
  const b = new Date(toMs);
  let years = b.getUTCFullYear() - a.getUTCFullYear();
  if (b.getUTCMonth() < a.getUTCMonth() || (b.getUTCMonth() === a.getUTCMonth() && b.getUTCDate() < a.getUTCDate())) years--;
  return years;
}

function seedOf(userId: string, n: number): number {
  return createHash('sha1').update(`${userId}/${n}`).digest().readUInt32BE(0);
}
