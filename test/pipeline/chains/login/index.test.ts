import { loginIndexing } from '../../../../pipeline/chains/login/indexing';
import { loginProcessing } from '../../../../pipeline/chains/login/processing';
import { DeadLetterCode } from '../../../../pipeline/core';
import { NOW, ok, run, unmappedFields } from '../chainTestKit';

const TOPIC = 'user-login';
const NOW_S = NOW / 1000;
const login = { user_id: 'u-1', app_version: '2.3.0', ip: '8.8.8.8', locale: 'RI', device_id: 'd-1', device_type: 'iOS', timestamp: NOW_S - 60 };
const CHROME_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

const process = (patch: Record<string, unknown>, drop: string[] = []) => {
  const value: Record<string, unknown> = { ...login, ...patch };
  for (const k of drop) delete value[k];
  return run(loginProcessing, TOPIC, value);
};
const kept = (patch: Record<string, unknown>, drop: string[] = []) => {
  const doc = ok(process(patch, drop));
  expect(unmappedFields(doc, loginIndexing)).toEqual([]);
  return doc;
};
const dead = (patch: Record<string, unknown>, drop: string[] = []) => {
  const o = process(patch, drop);
  if (o.kind !== 'dead') throw new Error(`expected dead, got ${JSON.stringify(o)}`);
  return o.reason;
};

describe('login chain: field-level defects keep the event', () => {
  it('records no defect on a clean login, and names its source shape', () => {
    expect(kept({}).quality).toEqual({ dialect: 'takehome' });
  });

  it.each([
    ['an unparseable address', { ip: '999.1.1.1' }, [], 'ip_unparseable'],
    ['an address that is not a string', { ip: 167772161 }, [], 'ip_unparseable'],
    ['no address', {}, ['ip'], 'ip_missing'],
  ])('keeps a login with %s, without address, class or place', (_what, patch, drop, defect) => {
    const doc = kept(patch, drop);
    expect(doc.quality).toEqual({ dialect: 'takehome', defects: [defect] });
    for (const field of ['ip', 'ip_class', 'geo']) expect(doc).not.toHaveProperty(field);
    expect(doc).toMatchObject({ user_id: 'u-1', device_id: 'd-1', device_type: 'iOS', app_version: '2.3.0', locale: 'RI' });
  });

  it('keeps an unparseable app version as sent, without the parsed version', () => {
    const doc = kept({ app_version: 'latest' });
    expect(doc.app_version).toBe('latest');
    expect(doc).not.toHaveProperty('app');
    expect(doc.quality.defects).toEqual(['app_version_unparseable']);
  });

  it.each([
    [{}, ['app_version'], 'app_version_missing', 'app_version'],
    [{ app_version: 2.3 }, [], 'app_version_invalid', 'app_version'],
    [{}, ['locale'], 'locale_missing', 'locale'],
    [{ locale: '' }, [], 'locale_invalid', 'locale'],
    [{ locale: 'x'.repeat(65) }, [], 'locale_invalid', 'locale'],
  ])('leaves out a bad field and names the defect (%#: %s)', (patch, drop, defect, field) => {
    const doc = kept(patch, drop);
    expect(doc).not.toHaveProperty(field);
    expect(doc.quality.defects).toEqual([defect]);
  });

  it.each([
    [{}, ['device_type'], 'device_type_missing'],
    [{ device_type: '' }, [], 'device_type_invalid'],
    [{ device_type: { os: 'iOS' } }, [], 'device_type_invalid'],
  ])("makes a missing or bad device_type 'unknown', as the take-home does, and names the defect (%#)", (patch, drop, defect) => {
    const doc = kept(patch, drop);
    expect(doc.device_type).toBe('unknown');
    expect(doc.quality.defects).toEqual([defect]);
  });

  it('leaves out a user agent that is not a string or too long; a missing one is no defect (the take-home sends none)', () => {
    expect(kept({ user_agent: 42 }).quality.defects).toEqual(['user_agent_invalid']);
    expect(kept({ user_agent: 'x'.repeat(1025) })).not.toHaveProperty('user_agent');
    expect(kept({}).quality).not.toHaveProperty('defects');
  });

  it('lists every defect of one login, in field order', () => {
    const doc = kept({ ip: 'nope', locale: '', user_agent: [] }, ['device_type', 'app_version']);
    expect(doc.quality.defects).toEqual(['device_type_missing', 'app_version_missing', 'locale_invalid', 'ip_unparseable', 'user_agent_invalid']);
  });

  it.each([
    ['no user', {}, ['user_id'], 'user_id'],
    ['an empty user', { user_id: ' ' }, [], 'user_id'],
    ['no device', {}, ['device_id'], 'device_id'],
    ['no time', {}, ['timestamp'], 'timestamp'],
  ])('still dead-letters a login with %s: it is unusable', (_what, patch, drop, path) => {
    expect(dead(patch, drop)).toMatchObject({ code: DeadLetterCode.SCHEMA, path });
  });
});

describe('login chain: timestamps', () => {
  it('accepts epoch seconds as a number or a numeric string, with nothing normalised', () => {
    for (const timestamp of [NOW_S - 60, String(NOW_S - 60), ` ${NOW_S - 60} `]) {
      const doc = kept({ timestamp });
      expect({ timestamp: doc.timestamp, quality: doc.quality }).toEqual({ timestamp: NOW_S - 60, quality: { dialect: 'takehome' } });
    }
  });

  it.each([
    ['a number', (NOW_S - 60) * 1000 + 123],
    ['a numeric string', String((NOW_S - 60) * 1000 + 123)],
  ])('normalises unambiguous epoch milliseconds as %s to seconds, keeping the milliseconds in event_time', (_what, timestamp) => {
    const doc = kept({ timestamp });
    expect(doc.timestamp).toBe(NOW_S - 60);
    expect(doc.event_time).toBe(new Date((NOW_S - 60) * 1000 + 123).toISOString());
    expect(doc.quality).toEqual({ dialect: 'takehome', normalized: ['timestamp_ms_to_s'] });
  });

  it('dead-letters milliseconds outside the window as out of range, not as a format problem', () => {
    expect(dead({ timestamp: (NOW_S + 7200) * 1000 })).toMatchObject({ code: DeadLetterCode.TIMESTAMP_OUT_OF_RANGE, path: 'timestamp' });
  });

  it.each([
    ['a fraction', NOW_S - 60.5, 'timestamp: not a whole number'],
    ['a fraction in a string', `${NOW_S - 60}.5`, 'timestamp: not a whole number'],
    ['1e400 (Infinity once parsed)', '__1e400__', 'timestamp: not a finite number'],
    ['"1e400" as a string', '1e400', 'timestamp: not a finite number'],
    ['microseconds', (NOW_S - 60) * 1_000_000, 'timestamp: looks like epoch microseconds; expected seconds'],
    ['nanoseconds', (NOW_S - 60) * 1e9, 'timestamp: looks like epoch nanoseconds; expected seconds'],
    ['text', 'yesterday', 'timestamp: expected epoch seconds (a whole number or a numeric string), got text'],
    ['an object', { s: 1 }, 'timestamp: expected epoch seconds (a whole number or a numeric string), got an object'],
    ['nothing', undefined, 'timestamp: required: epoch seconds'],
  ])('dead-letters %s with a reason in words', (_what, timestamp, message) => {
    const raw = JSON.stringify({ ...login, timestamp }).replace('"__1e400__"', '1e400');
    const o = run(loginProcessing, TOPIC, raw);
    expect(o).toEqual({ kind: 'dead', reason: { code: DeadLetterCode.SCHEMA, message, path: 'timestamp' } });
  });
});

describe('login chain: user agents and address classes', () => {
  it('indexes the agent class and where the device type came from', () => {
    expect(kept({ user_agent: CHROME_WINDOWS }).user_agent).toMatchObject({ agent_class: 'person', device_type: 'desktop', device_type_source: 'derived' });
    const bot = kept({ user_agent: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' }).user_agent;
    expect(bot).toEqual({ original: expect.any(String), agent_class: 'bot' });
    expect(kept({ user_agent: 'curl/8.5.0' }).user_agent).toEqual({ original: 'curl/8.5.0', agent_class: 'tool' });
  });

  it.each([
    ['203.0.113.9', 'documentation'],
    ['198.18.0.1', 'benchmarking'],
    ['100.64.0.1', 'carrier_grade_nat'],
    ['2001:db8::1', 'documentation'],
    ['fd00::1', 'unique_local'],
  ])('classifies %s as %s and does not place it on the map', (ip, cls) => {
    const doc = kept({ ip });
    expect(doc.ip_class).toBe(cls);
    expect(doc).not.toHaveProperty('geo');
  });

  it('places a public address by its real value and masks it', () => {
    const doc = kept({ ip: '2606:4700::1111' });
    expect({ ip: doc.ip, ip_class: doc.ip_class }).toEqual({ ip: '2606:4700:0:0::xxxx', ip_class: 'public' });
  });
});
