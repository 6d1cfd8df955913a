import { profilesIndexing } from '../../../../pipeline/chains/profiles/indexing';
import { profilesProcessing } from '../../../../pipeline/chains/profiles/processing';
import { ageBracket } from '../../../../pipeline/chains/profiles/ageBracket';
import type { ProcessingContext } from '../../../../pipeline/chains/types';
import { DeadLetterCode, processRecordAll, type Outcome, type SourceRecord } from '../../../../pipeline/core';
import { IpMode } from '../../../../pipeline/enrich';
import { generateProfiles, randomUser } from '../../../../producer/src/generators/profiles';
import { loginUsers } from '../../../../producer/src/generators/login';
import { profilesGeneration } from '../../../../producer/src/chains/profiles';
import { corrupt, malformedKinds } from '../../../../producer/src/malformed';

const NOW = Date.UTC(2026, 5, 15, 12, 0, 0);
const ctx: ProcessingContext = { nowMs: NOW, ipMode: IpMode.MASK, ipHashSecret: undefined, currentAppVersion: '2.3.0', maxEventAgeMs: 3650 * 86_400_000, maxFutureSkewMs: 3600_000 };
const options = { maxRecordBytes: 64 * 1024, filters: [] };
const SECRETS = ['password', 'salt', 'md5', 'sha1', 'sha256'];

const user = (id = '7a0eed16-9430-4d68-901f-c0d4c1c3bf00') => randomUser(id, 'US', NOW);
const record = (value: unknown, offset = 7): SourceRecord => ({
  topic: 'user-profiles', partition: 2, offset, key: null, value: Buffer.from(JSON.stringify(value)), headers: [], timestamp: NOW - 1000,
});
const docs = (outcomes: Outcome[]) => outcomes.flatMap((o) => (o.kind === 'ok' ? [o] : []));

/** Every key anywhere in a JSON value. */
function keysOf(v: unknown, out = new Set<string>()): Set<string> {
  if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) (out.add(k), keysOf(x, out));
  return out;
}

describe('profiles chain', () => {
  it('turns one user object into one document keyed and identified by login.uuid, without credentials', () => {
    const u = user();
    const [out, ...rest] = processRecordAll(profilesProcessing, record(u), ctx, options);
    expect(rest).toEqual([]);
    expect(out).toMatchObject({ kind: 'ok', id: u.login.uuid, key: u.login.uuid });
    const doc = (out as Extract<Outcome, { kind: 'ok' }>).document as Record<string, any>;
    expect(doc).toMatchObject({
      user_id: u.login.uuid, username: u.login.username, nationality: 'US', gender: u.gender, email: u.email,
      location: { country: 'United States', postcode: String(u.location.postcode), coordinates: { lat: Number(u.location.coordinates.latitude), lon: Number(u.location.coordinates.longitude) } },
      dob: { age: u.dob.age }, age_bracket: ageBracket(u.dob.age), registered: { year: new Date(u.registered.date).getUTCFullYear() },
      event_time: new Date(NOW - 1000).toISOString(), quality: { dialect: 'randomuser' },
    });
    for (const s of SECRETS) expect(keysOf(doc).has(s)).toBe(false);
    expect(JSON.stringify(doc)).not.toContain(u.login.password);
    expect(JSON.stringify(doc)).not.toContain(u.login.sha256);
  });

  it('turns a whole API response into one document per result', () => {
    const results = ['1b4e28ba-2fa1-11d2-883f-0016d3cca427', '6a419018-a6eb-465c-b6b7-e1437182aa2b', '16fe95d7-a383-4c40-9f0d-98ffe00244a6'].map(user);
    const outcomes = processRecordAll(profilesProcessing, record({ results, info: { seed: 'abc', results: 3, page: 1, version: '1.4' } }), ctx, options);
    expect(outcomes.map((o) => o.kind)).toEqual(['ok', 'ok', 'ok']);
    expect(docs(outcomes).map((o) => o.id)).toEqual(results.map((r) => r.login.uuid));
  });

  it('accepts the documented variants: postcode as a number or text, id.value null, coordinates as strings', () => {
    const a = { ...user(), location: { ...user().location, postcode: 63104 } };
    const b = { ...user(), location: { ...user().location, postcode: 'SW1A 1AA' }, id: { name: '', value: null } };
    expect((docs(processRecordAll(profilesProcessing, record(a), ctx, options))[0]!.document as any).location.postcode).toBe('63104');
    const bd = docs(processRecordAll(profilesProcessing, record(b), ctx, options))[0]!.document as any;
    expect(bd.location.postcode).toBe('SW1A 1AA');
    expect(bd.national_id).toBeUndefined();
  });

  it('keeps a profile with a bad optional field, naming the defect', () => {
    const u = { ...user(), location: { ...user().location, coordinates: { latitude: 12.5, longitude: '200.1' } } };
    const doc = docs(processRecordAll(profilesProcessing, record(u), ctx, options))[0]!.document as any;
    expect(doc.location.coordinates).toBeUndefined();
    expect(doc.quality.defects).toEqual(['coordinates_invalid']);
  });

  it.each([
    ['login.uuid', (u: any) => ({ ...u, login: { ...u.login, uuid: 'nope' } })],
    ['nat', (u: any) => ({ ...u, nat: 'usa' })],
    ['dob.date', (u: any) => ({ ...u, dob: { ...u.dob, date: 'yesterday' } })],
    ['location.country', (u: any) => ({ ...u, location: { ...u.location, country: undefined } })],
  ])('dead-letters a user whose %s is unusable, naming it', (path, breakIt) => {
    const [out] = processRecordAll(profilesProcessing, record(breakIt(user())), ctx, options);
    expect(out).toMatchObject({ kind: 'dead', reason: { code: DeadLetterCode.SCHEMA, path } });
  });

  it('processes the good users of a response and dead-letters the record once, naming the first bad result', () => {
    const good = user('1b4e28ba-2fa1-11d2-883f-0016d3cca427');
    const bad = { ...user(), login: { uuid: 'x' } };
    const outcomes = processRecordAll(profilesProcessing, record({ results: [good, bad, 'text'], info: {} }), ctx, options);
    expect(outcomes.map((o) => o.kind)).toEqual(['ok', 'dead']);
    expect(outcomes[1]).toMatchObject({ reason: { code: DeadLetterCode.SCHEMA, path: 'results.1.login.uuid', message: expect.stringMatching(/^results\.1\.login\.uuid: .*\(2 of 3 items invalid; the other 1 were processed\)$/) } });
  });

  it('dead-letters a response without users', () => {
    for (const results of [[], { a: 1 }]) {
      expect(processRecordAll(profilesProcessing, record({ results, info: {} }), ctx, options)).toEqual([
        { kind: 'dead', reason: { code: DeadLetterCode.SCHEMA, message: 'results: expected a non-empty list', path: 'results' } },
      ]);
    }
  });

  it('dead-letters a record whose Kafka time is outside the window', () => {
    const [out] = processRecordAll(profilesProcessing, { ...record(user()), timestamp: NOW + 2 * 3600_000 }, ctx, options);
    expect(out).toMatchObject({ kind: 'dead', reason: { code: DeadLetterCode.TIMESTAMP_OUT_OF_RANGE } });
    expect((out as any).reason.path).toBeUndefined();
  });

  it('maps every field the generated documents carry (the template is strict)', () => {
    const it = generateProfiles({ seed: 3, startTimeMs: NOW - 60_000 });
    // lat/lon are the parts of a geo_point, which has no properties of its own.
    const mapped = new Set([...keysOf((profilesIndexing.index.template as any).template.mappings.properties), 'lat', 'lon']);
    for (let i = 0; i < 50; i++) {
      const r = it.next().value!;
      for (const o of docs(processRecordAll(profilesProcessing, { ...record(null), value: r.value, timestamp: NOW - 1000 }, ctx, options))) {
        for (const k of keysOf(o.document)) expect([k, mapped.has(k)]).toEqual([k, true]);
      }
    }
  });

  it('the generator fetches the login pool\'s users, first each once, in the API format', () => {
    const ids = loginUsers(1).map((u) => u.id);
    const it = generateProfiles({ seed: 1, startTimeMs: NOW });
    const seen: string[] = [];
    while (seen.length < ids.length + 20) {
      const r = JSON.parse(it.next().value!.value!.toString());
      expect(Object.keys(r)).toEqual(['results', 'info']);
      expect(r.info).toMatchObject({ results: r.results.length, version: '1.4' });
      for (const u of r.results) {
        expect(Object.keys(u)).toEqual(['gender', 'name', 'location', 'email', 'login', 'dob', 'registered', 'phone', 'cell', 'id', 'picture', 'nat']);
        expect(Object.keys(u.login)).toEqual(['uuid', 'username', 'password', 'salt', 'md5', 'sha1', 'sha256']);
        expect(typeof u.location.coordinates.latitude).toBe('string');
        seen.push(u.login.uuid);
      }
    }
    expect(seen.slice(0, ids.length)).toEqual(ids);
    expect(ids.slice(0, 3)).toEqual(expect.arrayContaining([expect.stringMatching(/^[0-9a-f-]{36}$/)]));
    // A later fetch of a user is the same person, moved.
    const again = randomUser(ids[0]!, 'US', NOW, 1);
    const first = randomUser(ids[0]!, 'US', NOW, 0);
    expect([again.name, again.dob, again.nat, again.registered]).toEqual([first.name, first.dob, first.nat, first.registered]);
    expect(again.location.street).not.toEqual(first.location.street);
  });
});

describe('malformed profiles', () => {
  it('every kind the producer makes of a generated response is dead-lettered', () => {
    const kinds = malformedKinds(profilesGeneration.malformed);
    expect(kinds).not.toContain('future_timestamp');
    const it = generateProfiles({ seed: 5, startTimeMs: NOW - 60_000 });
    for (const kind of kinds) {
      for (let n = 0; n < 4; n++) {
        const broken = corrupt(it.next().value!, kind, profilesGeneration.malformed, (k) => n % k, NOW);
        const outcomes = processRecordAll(profilesProcessing, { ...record(null), value: broken.value, timestamp: NOW - 1000 }, ctx, options);
        expect([kind, outcomes.filter((o) => o.kind === 'dead').length]).toEqual([kind, 1]);
      }
    }
  });
});
