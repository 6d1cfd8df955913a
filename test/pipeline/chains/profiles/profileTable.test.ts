import { enrichLogin } from '../../../../pipeline/chains/login/enrich';
import { loginProcessing } from '../../../../pipeline/chains/login/processing';
import { ProfileTable } from '../../../../pipeline/chains/profiles/profileTable';
import { profilesProcessing } from '../../../../pipeline/chains/profiles/processing';
import type { ProcessingContext } from '../../../../pipeline/chains/types';
import { processRecord, processRecordAll } from '../../../../pipeline/core';
import { IpMode } from '../../../../pipeline/enrich';
import { randomUser } from '../../../../producer/src/generators/profiles';

const NOW = Date.UTC(2026, 5, 15, 12, 0, 0);
const base: ProcessingContext = { nowMs: NOW, ipMode: IpMode.MASK, ipHashSecret: undefined, currentAppVersion: '2.3.0', maxEventAgeMs: 3650 * 86_400_000, maxFutureSkewMs: 3600_000 };
const options = { maxRecordBytes: 64 * 1024, filters: [] };
const ID = '7a0eed16-9430-4d68-901f-c0d4c1c3bf00';

/** The processed-profile record the processor would write for this user. */
function processed(u: object): { key: Buffer; value: Buffer; doc: any } {
  const [o] = processRecordAll(profilesProcessing, { topic: 'user-profiles', partition: 0, offset: 1, key: null, value: Buffer.from(JSON.stringify(u)), headers: [], timestamp: NOW }, base, options);
  if (o?.kind !== 'ok') throw new Error(JSON.stringify(o));
  return { key: Buffer.from(o.key!), value: Buffer.from(JSON.stringify(o.document)), doc: o.document };
}

const login = (user_id: string) => ({ user_id, device_id: 'd', timestamp: NOW / 1000 - 5, app_version: '2.3.0', ip: '8.8.8.8', locale: 'RI', device_type: 'iOS' });
function joined(ctx: ProcessingContext, userId: string) {
  const o = processRecord(loginProcessing, { topic: 'user-login', partition: 0, offset: 9, key: null, value: Buffer.from(JSON.stringify(login(userId))), headers: [], timestamp: NOW }, ctx, options);
  if (o.kind !== 'ok') throw new Error(JSON.stringify(o));
  return (o.document as ReturnType<typeof enrichLogin>).profile;
}

describe('ProfileTable', () => {
  it('gives back what a processed profile says, for the user id in any case', () => {
    const t = new ProfileTable();
    const { key, value, doc } = processed(randomUser(ID, 'DE', NOW));
    expect(t.apply(key, value)).toBe(true);
    const want = { nationality: 'DE', country: 'Germany', age_bracket: doc.age_bracket, registration_year: doc.registered.year };
    expect(t.lookup(ID)).toEqual(want);
    expect(t.lookup(ID.toUpperCase())).toEqual(want);
    expect(t.size).toBe(1);
  });

  it('keeps the latest profile per user, and forgets a user on a tombstone', () => {
    const t = new ProfileTable();
    const first = processed(randomUser(ID, 'DE', NOW));
    const moved = processed({ ...randomUser(ID, 'DE', NOW), nat: 'FR', location: { ...randomUser(ID, 'DE', NOW).location, country: 'France' } });
    t.apply(first.key, first.value);
    t.apply(moved.key, moved.value);
    expect(t.lookup(ID)).toMatchObject({ nationality: 'FR', country: 'France' });
    expect(t.size).toBe(1);
    t.apply(first.key, null);
    expect(t.lookup(ID)).toBeUndefined();
  });

  it('keeps non-uuid user ids apart from uuids and round-trips every bracket, year and many countries', () => {
    const t = new ProfileTable();
    for (let i = 0; i < 1500; i++) {
      t.set(`user-${i}`, { nationality: 'ZZ', country: `Country ${i}`, age_bracket: i % 2 ? '65+' : 'under 18', registration_year: 1990 + (i % 60) });
    }
    for (let i = 0; i < 1500; i++) {
      expect(t.lookup(`user-${i}`)).toEqual({ nationality: 'ZZ', country: `Country ${i}`, age_bracket: i % 2 ? '65+' : 'under 18', registration_year: 1990 + (i % 60) });
    }
    expect(t.lookup(ID)).toBeUndefined();
  });

  it('skips a value that is no profile document', () => {
    const t = new ProfileTable();
    expect(t.apply(Buffer.from(ID), Buffer.from('{"user_id": 1}'))).toBe(false);
    expect(t.apply(Buffer.from(ID), Buffer.from('not json'))).toBe(false);
    expect(t.size).toBe(0);
  });
});

describe('the login join', () => {
  it('adds the profile block of a known user, found: false for an unknown one, and nothing without a table', () => {
    const t = new ProfileTable();
    const { key, value, doc } = processed(randomUser(ID, 'US', NOW));
    t.apply(key, value);
    const ctx = { ...base, profiles: t };
    expect(joined(ctx, ID)).toEqual({ found: true, nationality: 'US', country: 'United States', age_bracket: doc.age_bracket, registration_year: doc.registered.year });
    expect(joined(ctx, '00000000-0000-4000-8000-000000000000')).toEqual({ found: false });
    expect(joined(base, ID)).toBeUndefined();
  });
});
