import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { musicIndexing } from '../../../../pipeline/chains/music/indexing';
import { musicProcessing } from '../../../../pipeline/chains/music/processing';
import { detectDialect, MusicDialect } from '../../../../pipeline/chains/music/schema';
import { MusicTopic } from '../../../../pipeline/chains/music/topics';
import { DeadLetterCode } from '../../../../pipeline/core';
import { NOW, ok, run, unmappedFields } from '../chainTestKit';

const FIXTURES = join(__dirname, '..', '..', '..', 'fixtures', 'eventsim');
const lines = (file: string) =>
  readFileSync(join(FIXTURES, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
const UA = 'Mozilla/5.0 (Windows NT 6.1; WOW64; rv:31.0) Gecko/20100101 Firefox/31.0';

/** The original Eventsim's NextSong, a shown user. */
const original = {
  ts: NOW - 60_000,
  userId: '30',
  sessionId: 6001,
  page: 'NextSong',
  auth: 'Logged In',
  method: 'PUT',
  status: 200,
  level: 'paid',
  itemInSession: 1,
  location: 'Bakersfield, CA',
  userAgent: `"${UA}"`,
  lastName: 'Freeman',
  firstName: 'Colin',
  registration: 1538173362000,
  gender: 'M',
  artist: 'Kings Of Leon',
  song: 'Use Somebody',
  length: 230.81751,
};
const guest = { ts: NOW - 60_000, userId: '', sessionId: 6002, page: 'Home', auth: 'Guest', method: 'GET', status: 200, level: 'free', itemInSession: 0 };
const nulls = { location: null, userAgent: null, lastName: null, firstName: null, registration: null, gender: null, artist: null, song: null, length: null };
const fork = {
  ts: NOW - 60_000,
  sessionId: 42,
  level: 'free',
  itemInSession: 3,
  city: 'Tampa',
  zip: '33614',
  state: 'FL',
  userAgent: `"${UA}"`,
  lon: -82.505362,
  lat: 28.002632,
};
const pv = (v: object) => run(musicProcessing, MusicTopic.PAGE_VIEW, v);

describe('music chain: the two Eventsim dialects', () => {
  it('tells them apart by the fork\'s own keys and a numeric userId', () => {
    expect(detectDialect(original)).toBe(MusicDialect.ORIGINAL);
    expect(detectDialect(guest)).toBe(MusicDialect.ORIGINAL);
    expect(detectDialect({ ...guest, userId: null })).toBe(MusicDialect.ORIGINAL);
    expect(detectDialect({ ...guest, userId: 7 })).toBe(MusicDialect.KAFKA);
    for (const key of ['city', 'zip', 'state', 'lat', 'lon', 'duration']) expect(detectDialect({ ...guest, [key]: 1 })).toBe(MusicDialect.KAFKA);
  });

  it('reads the original\'s text userId, length and location string', () => {
    const o = pv(original);
    expect(o.kind === 'ok' && o.key).toBe('30');
    const doc = ok(o);
    expect(doc).toMatchObject({
      event_type: 'page_view',
      userId: 30,
      is_guest: false,
      city: 'Bakersfield',
      state: 'CA',
      duration: 230.81751,
      duration_ms: 230818,
      artist: 'Kings Of Leon',
      registration: 1538173362000,
      quality: { dialect: 'eventsim_original' },
    });
    expect(doc.zip).toBeUndefined();
    expect(doc.location).toBeUndefined();
    expect(doc.length).toBeUndefined();
    expect(doc.quality).toEqual({ dialect: 'eventsim_original' });
    expect(doc.user_agent).toMatchObject({ original: UA, browser: 'Firefox' });
    expect(unmappedFields(doc, musicIndexing)).toEqual([]);
  });

  it('splits a multi-state metro area at the last comma', () => {
    const doc = ok(pv({ ...original, location: 'New York-Newark-Jersey City, NY-NJ-PA' }));
    expect(doc).toMatchObject({ city: 'New York-Newark-Jersey City', state: 'NY-NJ-PA' });
    expect(doc.quality.defects).toBeUndefined();
  });

  it('keeps a location it cannot split as the city and records the defect', () => {
    const doc = ok(pv({ ...original, location: 'Somewhere far away' }));
    expect(doc.city).toBe('Somewhere far away');
    expect(doc.state).toBeUndefined();
    expect(doc.quality).toEqual({ dialect: 'eventsim_original', defects: ['location_unparseable'] });
  });

  it.each([
    ['"" with user keys left out (Eventsim itself)', guest],
    ['"" with every user key null (the public datasets)', { ...guest, ...nulls }],
    ['null', { ...guest, userId: null }],
    ['absent', (({ userId: _u, ...rest }) => rest)(guest)],
  ])('makes a guest of a userId that is %s, keyed by session', (_what, value) => {
    const o = pv(value);
    expect(o.kind === 'ok' && o.key).toBe('6002');
    const doc = ok(o);
    expect(doc).toMatchObject({ is_guest: true, page: 'Home', auth: 'Guest', quality: { dialect: 'eventsim_original' } });
    for (const k of ['userId', 'firstName', 'registration', 'city', 'state', 'user_agent', 'artist', 'duration']) expect(doc[k]).toBeUndefined();
    expect(unmappedFields(doc, musicIndexing)).toEqual([]);
  });

  it('accepts the original dialect on the other topics with their own required fields', () => {
    const { page: _p, method: _m, status: _s, length, ...listen } = original;
    expect(ok(run(musicProcessing, MusicTopic.LISTEN, { ...listen, length }))).toMatchObject({ event_type: 'listen', duration: length, userId: 30 });
    expect(run(musicProcessing, MusicTopic.LISTEN, listen)).toMatchObject({ kind: 'dead', reason: { code: DeadLetterCode.SCHEMA, path: 'length' } });
    expect(ok(run(musicProcessing, MusicTopic.AUTH, { ...guest, success: false }))).toMatchObject({ event_type: 'auth', success: false, is_guest: true });
    expect(ok(run(musicProcessing, MusicTopic.STATUS_CHANGE, { ...listen }))).toMatchObject({ level_change: 'downgrade', quality: { dialect: 'eventsim_original' } });
  });

  it('tags the fork\'s records as eventsim_kafka', () => {
    const doc = ok(pv({ ...fork, page: 'Home', auth: 'Guest', method: 'GET', status: 200 }));
    expect(doc.quality).toEqual({ dialect: 'eventsim_kafka' });
    expect(doc).toMatchObject({ city: 'Tampa', state: 'FL', zip: '33614', location: { lat: 28.002632, lon: -82.505362 } });
  });

  it('repairs mojibake on the fork\'s listens too, artist and song each on its own', () => {
    const doc = ok(run(musicProcessing, MusicTopic.LISTEN, { ...fork, auth: 'Guest', artist: 'Beyonc\u00c3\u00a9', song: 'Halo', duration: 261.6 }));
    expect(doc).toMatchObject({ artist: 'Beyoncé', song: 'Halo', original: { artist: 'Beyonc\u00c3\u00a9' }, quality: { dialect: 'eventsim_kafka', normalized: ['text_mojibake_repaired'] } });
    expect(doc.original).toEqual({ artist: 'Beyonc\u00c3\u00a9' });
    const legit = ok(run(musicProcessing, MusicTopic.LISTEN, { ...fork, auth: 'Guest', artist: 'S\u00c3O PAULO', song: 'Song 🎵', duration: 1 }));
    expect(legit).toMatchObject({ artist: 'S\u00c3O PAULO', song: 'Song 🎵', quality: { dialect: 'eventsim_kafka' } });
    expect(legit.original).toBeUndefined();
    expect(legit.quality.normalized).toBeUndefined();
  });

  it.each([
    ['a userId that is not a number as text', { ...original, userId: 'abc' }, 'userId', 'must be a user number as text, or "" for a guest'],
    ['a userId that is an object', { ...original, userId: {} }, 'userId', 'the original Eventsim writes userId as text ("" for a guest)'],
    ['an empty location', { ...original, location: ' ' }, 'location', 'must not be empty'],
    ['a negative length', { ...original, length: -1 }, 'length', 'Too small: expected number to be >0'],
    ['a registration in text', { ...original, registration: '1538173362000' }, 'registration', 'Invalid input: expected number, received string'],
    ['no sessionId', (({ sessionId: _s, ...rest }) => rest)(original), 'sessionId', 'Invalid input: expected number, received undefined'],
  ])('dead-letters an original record with %s, naming the field', (_what, value, path, message) => {
    expect(pv(value)).toEqual({ kind: 'dead', reason: { code: DeadLetterCode.SCHEMA, path, message: `${path}: ${message}` } });
  });

  it.each([
    ['a text userId', { userId: '1047' }, 'the Kafka fork writes userId as a number, and leaves it out for guests'],
    ['an empty userId', { userId: '' }, 'the Kafka fork writes userId as a number, and leaves it out for guests'],
    ['a null userId', { userId: null }, 'the Kafka fork writes userId as a number, and leaves it out for guests'],
  ])('dead-letters a fork record with %s, saying what the fork writes', (_what, patch, message) => {
    expect(pv({ ...fork, page: 'Home', auth: 'Logged In', method: 'GET', status: 200, ...patch })).toEqual({
      kind: 'dead',
      reason: { code: DeadLetterCode.SCHEMA, path: 'userId', message: `userId: ${message}` },
    });
  });

  it('dead-letters a fork record missing one of its place fields instead of reading it as the original', () => {
    const { lat: _lat, ...noLat } = fork;
    expect(pv({ ...noLat, page: 'Home', auth: 'Guest', method: 'GET', status: 200 })).toMatchObject({ kind: 'dead', reason: { path: 'lat' } });
  });
});

describe('music chain: the recorded original Eventsim sample', () => {
  const sample = lines('original.ndjson');
  const docs = sample.map((l) => ok(pv(JSON.parse(l) as object)));

  it('accepts every line, as the original dialect, with every field mapped', () => {
    expect(docs).toHaveLength(25);
    for (const [i, doc] of docs.entries()) {
      const raw = JSON.parse(sample[i]!) as Record<string, unknown>;
      expect(doc.quality.dialect).toBe('eventsim_original');
      expect(doc.is_guest).toBe(raw.userId === '');
      expect(doc.userId).toBe(raw.userId === '' ? undefined : Number(raw.userId));
      expect(doc).toMatchObject({ ts: raw.ts, sessionId: raw.sessionId, page: raw.page, auth: raw.auth, status: raw.status, level: raw.level });
      expect(doc.duration).toBe(raw.length ?? undefined);
      expect(unmappedFields(doc, musicIndexing)).toEqual([]);
    }
    expect(docs.filter((d) => d.is_guest)).toHaveLength(7);
    expect(docs.filter((d) => d.page === 'NextSong')).toHaveLength(8);
    expect(new Set(docs.filter((d) => d.user_agent).map((d) => d.user_agent.browser))).toEqual(new Set(['Firefox', 'Chrome', 'Mobile Safari']));
  });

  it('repairs the double-encoded names of the bundled song list and keeps what came', () => {
    const repaired = docs.filter((d) => d.quality.normalized);
    expect(repaired.map((d) => [d.artist, d.song, d.original])).toEqual([
      ['Björk', 'Jóga', { artist: 'BjÃ¶rk', song: 'JÃ³ga' }],
      ['Motörhead', 'Ace Of Spades', { artist: 'MotÃ¶rhead' }],
      ['Beyoncé', 'Halo', { artist: 'BeyoncÃ©' }],
      ['Sigur Rós', 'Hoppípolla', { artist: 'Sigur RÃ³s', song: 'HoppÃ\u00adpolla' }],
    ]);
    for (const d of repaired) expect(d.quality.normalized).toEqual(['text_mojibake_repaired']);
    const correct = docs.find((d) => d.song === 'Hyperballad')!;
    expect(correct).toMatchObject({ artist: 'Björk', quality: { dialect: 'eventsim_original' } });
    expect(correct.original).toBeUndefined();
    expect(correct.quality.normalized).toBeUndefined();
  });
});
