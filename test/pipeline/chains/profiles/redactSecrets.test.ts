import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DeadLetterCode, DeadLetterHeader, readDeadLetterHeaders, toDeadLetter, type SourceRecord } from '../../../../pipeline/core';
import { PROFILE_SECRETS, REDACTED, redactProfileSecrets } from '../../../../pipeline/chains/profiles/redactSecrets';
import { profilesProcessing } from '../../../../pipeline/chains/profiles/processing';

/** The recorded randomuser.me response: real-shaped logins with every credential field. */
const FIXTURE = readFileSync(path.join(__dirname, '../../../fixtures/randomuser/response.ndjson'), 'utf8').split('\n').filter(Boolean)[0]!;
type Response = { results: Array<{ login: Record<string, string> }> };
const original = JSON.parse(FIXTURE) as Response;
const secretValues = original.results.flatMap((u) => PROFILE_SECRETS.map((k) => u.login[k]!));

describe('redactProfileSecrets', () => {
  it('replaces every credential of every user of a response, and nothing else', () => {
    expect(secretValues.length).toBeGreaterThanOrEqual(5);
    const r = redactProfileSecrets(Buffer.from(FIXTURE));
    expect(r.fields).toEqual([...PROFILE_SECRETS].sort());
    const text = r.value.toString('utf8');
    for (const secret of secretValues) expect(text).not.toContain(secret);
    const back = JSON.parse(text) as Response;
    const expected = structuredClone(original);
    for (const u of expected.results) for (const k of PROFILE_SECRETS) u.login[k] = REDACTED;
    expect(back).toEqual(expected);
  });

  it('finds the credentials in a value that is not JSON (a cut response)', () => {
    const cut = FIXTURE.slice(0, FIXTURE.indexOf('"sha256"') + 30);
    const r = redactProfileSecrets(Buffer.from(cut));
    const text = r.value.toString('utf8');
    for (const k of ['password', 'salt', 'md5', 'sha1']) expect(text).not.toContain(original.results[0]!.login[k]!);
    expect(text).not.toContain(original.results[0]!.login['sha256']!.slice(0, 12));
    expect(r.fields).toEqual([...PROFILE_SECRETS].sort());
    expect(redactProfileSecrets(Buffer.from('{"login": {"password": 12345, "salt": "a\\"b"')).value.toString()).toBe(`{"login": {"password": "${REDACTED}", "salt": "${REDACTED}"`);
  });

  it('leaves a value without credentials byte for byte', () => {
    const value = Buffer.from('{ "results": [ { "name": "x" } ] }');
    const r = redactProfileSecrets(value);
    expect(r).toEqual({ value, fields: [] });
  });
});

describe('profiles dead letters', () => {
  it('carry the redacted value and say what was redacted; the source coordinates and reason stay', () => {
    const record: SourceRecord = { topic: 'randomuser-profiles', partition: 2, offset: 41, key: null, value: Buffer.from(FIXTURE), headers: [], timestamp: 1_700_000_000_000 };
    const dl = toDeadLetter(record, { code: DeadLetterCode.SCHEMA, message: 'results.0.email: bad' }, 'processor', 'profiles', 0, profilesProcessing.redactDeadLetter);
    const text = dl.value!.toString('utf8');
    for (const secret of secretValues) expect(text).not.toContain(secret);
    const h = readDeadLetterHeaders(dl.headers);
    expect(h[DeadLetterHeader.REDACTED]).toBe('md5,password,salt,sha1,sha256');
    expect([h[DeadLetterHeader.SOURCE_PARTITION], h[DeadLetterHeader.SOURCE_OFFSET], h[DeadLetterHeader.CODE]]).toEqual(['2', '41', DeadLetterCode.SCHEMA]);
    expect(dl.timestamp).toBe(1_700_000_000_000);
    // Without the chain's redaction (every other chain), the bytes are the original ones.
    expect(toDeadLetter(record, { code: DeadLetterCode.SCHEMA, message: 'x' }, 'processor', 'login', 0).value).toBe(record.value);
  });
});
