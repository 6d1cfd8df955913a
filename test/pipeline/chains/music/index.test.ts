import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INDEXING } from '../../../../pipeline/chains/indexing';
import { musicIndexing } from '../../../../pipeline/chains/music/indexing';
import { musicProcessing } from '../../../../pipeline/chains/music/processing';
import { MusicTopic, musicTopics } from '../../../../pipeline/chains/music/topics';
import { PROCESSING } from '../../../../pipeline/chains/processing';
import { TOPICS as TOPICS_REGISTRY } from '../../../../pipeline/chains/topics';
import { DASHBOARDS } from '../../../../dashboards/chains';
import { GENERATION, musicGeneration, selectGeneration } from '../../../../producer/src/chains';
import { DeadLetterCode } from '../../../../pipeline/core';
import { corrupt, malformedKinds } from '../../../../producer/src/malformed';
import { NOW, ok, picker, run, runGenerated, take, unmappedFields } from '../chainTestKit';

const FIXTURES = join(__dirname, '..', '..', '..', 'fixtures', 'eventsim');
const TOPICS = [MusicTopic.LISTEN, MusicTopic.PAGE_VIEW, MusicTopic.AUTH, MusicTopic.STATUS_CHANGE];
const fixture = (topic: string): string[] =>
  readFileSync(join(FIXTURES, `${topic}.ndjson`), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');

const UA = 'Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.143 Safari/537.36';
const base = {
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
const user = { userId: 1047, lastName: 'Whitfield', firstName: 'Ashlynn', gender: 'F', registration: 1641567372000 };

describe('music chain declaration', () => {
  it('reads Eventsim\'s four topics and writes the names docker-compose and the docs use', () => {
    expect(musicTopics.topics).toEqual({
      inputs: ['listen_events', 'page_view_events', 'auth_events', 'status_change_events'],
      output: 'processed-music-events',
      deadLetter: 'music-events-dlq',
    });
    expect(musicIndexing.index).toMatchObject({ alias: 'streamdex-music', initialIndex: 'streamdex-music-000001', templateName: 'streamdex-music' });
    expect((musicIndexing.index.template as { index_patterns: string[] }).index_patterns).toEqual(['streamdex-music-*']);
    for (const registry of [TOPICS_REGISTRY, PROCESSING, INDEXING, GENERATION, DASHBOARDS]) expect(registry.map((c) => c.name)).toEqual(['login', 'music', 'interactions', 'profiles']);
    expect(musicProcessing.schemaFor('user-login')).toBeUndefined();
  });

  it('keeps working under a namespace', () => {
    const [ns] = selectGeneration(['music'], 't1-');
    expect(ns!.topics.inputs).toEqual(TOPICS.map((t) => `t1-${t}`));
    const r = ns!.generator({ seed: 1, startTimeMs: NOW - 86_400_000 }).next();
    expect(r.done).toBe(false);
    expect(ns!.topics.inputs).toContain(r.value.topic);
  });
});

describe('music chain: the recorded Eventsim sample', () => {
  it.each(TOPICS)('accepts every line of %s, guests and logged-out visitors included', (topic) => {
    const lines = fixture(topic);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      const raw = JSON.parse(line) as Record<string, unknown>;
      const outcome = run(musicProcessing, topic, line);
      const doc = ok(outcome);
      expect(doc.event_type).toBe({ listen_events: 'listen', page_view_events: 'page_view', auth_events: 'auth', status_change_events: 'status_change' }[topic]);
      expect(doc.ts).toBe(raw.ts);
      expect(doc.event_time).toBe(new Date(raw.ts as number).toISOString());
      expect(doc.sessionId).toBe(raw.sessionId);
      expect(doc.itemInSession).toBe(raw.itemInSession);
      expect(doc.level).toBe(raw.level);
      expect(doc.location).toEqual({ lat: raw.lat, lon: raw.lon });
      expect(doc).toMatchObject({ city: raw.city, state: raw.state, zip: raw.zip });
      // The literal quotes Eventsim wraps the user agent in are gone.
      expect(doc.user_agent.original).toBe((raw.userAgent as string).slice(1, -1));
      expect(doc.user_agent.original.startsWith('Mozilla/5.0')).toBe(true);
      expect(doc.is_guest).toBe(raw.userId === undefined);
      expect(doc.userId).toBe(raw.userId);
      expect(doc.firstName).toBe(raw.firstName);
      expect(doc.source).toMatchObject({ topic, partition: 0 });
      expect(doc.quality).toEqual({ dialect: 'eventsim_kafka' });
      expect(unmappedFields(doc, musicIndexing)).toEqual([]);
      expect(outcome.kind === 'ok' && outcome.key).toBe(String(raw.userId ?? raw.sessionId));
      if (topic === MusicTopic.LISTEN || (topic === MusicTopic.PAGE_VIEW && raw.page === 'NextSong')) {
        expect(doc).toMatchObject({ artist: raw.artist, song: raw.song, duration: raw.duration });
        expect(doc.duration_ms).toBe(Math.round((raw.duration as number) * 1000));
      }
      if (topic === MusicTopic.AUTH) expect(doc.success).toBe(raw.success);
      if (topic === MusicTopic.PAGE_VIEW) expect(doc).toMatchObject({ page: raw.page, method: raw.method, status: raw.status, auth: raw.auth });
    }
  });

  it('has guests in the sample and keeps their non-ASCII neighbours intact', () => {
    const docs = fixture(MusicTopic.PAGE_VIEW).map((l) => ok(run(musicProcessing, MusicTopic.PAGE_VIEW, l)));
    expect(docs.some((d) => d.is_guest)).toBe(true);
    const listens = fixture(MusicTopic.LISTEN).map((l) => ok(run(musicProcessing, MusicTopic.LISTEN, l)));
    expect(listens.map((d) => d.artist)).toContain('Björk');
  });

  it('reads upgrades and downgrades from the old level Eventsim reports on status changes', () => {
    const docs = fixture(MusicTopic.STATUS_CHANGE).map((l) => ok(run(musicProcessing, MusicTopic.STATUS_CHANGE, l)));
    expect(docs.map((d) => [d.level, d.level_change])).toEqual([
      ['free', 'upgrade'],
      ['paid', 'downgrade'],
      ['free', 'upgrade'],
    ]);
  });
});

describe('music chain: enrichment', () => {
  it('parses the user agent and derives time facets', () => {
    const ts = Date.UTC(2026, 0, 10, 21, 30); // a Saturday
    const doc = ok(run(musicProcessing, MusicTopic.LISTEN, { artist: 'A', song: 'S', duration: 200.5, ...base, ts, auth: 'Logged In', ...user }));
    expect(doc.user_agent).toMatchObject({ original: UA, browser: 'Chrome', os: 'Windows', device_type: 'desktop' });
    expect(doc).toMatchObject({ hour_of_day: 21, weekday: 6, weekday_name: 'Saturday', is_weekend: true, duration_ms: 200500, is_guest: false, userId: 1047 });
  });

  it('keys a guest\'s events by session and marks them as guests', () => {
    const o = run(musicProcessing, MusicTopic.PAGE_VIEW, { ...base, page: 'Home', auth: 'Guest', method: 'GET', status: 200 });
    expect(o.kind === 'ok' && o.key).toBe('42');
    const doc = ok(o);
    expect(doc.is_guest).toBe(true);
    expect(doc.userId).toBeUndefined();
    expect(doc.artist).toBeUndefined();
  });

  it('accepts a user agent without Eventsim\'s quotes too', () => {
    const doc = ok(run(musicProcessing, MusicTopic.AUTH, { ...base, userAgent: UA, success: false }));
    expect(doc.user_agent.original).toBe(UA);
    expect(doc.success).toBe(false);
  });

  it.each([
    ['level', { level: 'gold' }],
    ['ts', { ts: '1647885600000' }],
    ['sessionId', { sessionId: -1 }],
    ['userAgent', { userAgent: '""' }],
    ['lat', { lat: 123 }],
    ['zip', { zip: 33614 }],
  ])('dead-letters a bad %s naming the field', (field, patch) => {
    const o = run(musicProcessing, MusicTopic.STATUS_CHANGE, { ...base, auth: 'Logged In', ...user, ...patch });
    expect(o).toMatchObject({ kind: 'dead', reason: { code: DeadLetterCode.SCHEMA, path: field } });
  });

  it('requires the topic\'s own fields', () => {
    expect(run(musicProcessing, MusicTopic.LISTEN, { ...base, auth: 'Logged In' })).toMatchObject({ kind: 'dead', reason: { path: 'artist' } });
    expect(run(musicProcessing, MusicTopic.AUTH, { ...base })).toMatchObject({ kind: 'dead', reason: { path: 'success' } });
    expect(run(musicProcessing, MusicTopic.PAGE_VIEW, { ...base, auth: 'Guest', method: 'GET', status: 200 })).toMatchObject({ kind: 'dead', reason: { path: 'page' } });
  });
});

describe('music chain: generator', () => {
  const records = take(musicGeneration.generator({ seed: 3, startTimeMs: NOW - 2 * 86_400_000 }), 3000);

  it('produces keyless Eventsim JSON on all four topics, every record valid', () => {
    expect(records).toHaveLength(3000);
    const topics = new Set(records.map((r) => r.topic));
    expect([...topics].sort()).toEqual([...TOPICS].sort());
    for (const r of records) {
      expect(r.key).toBeNull();
      const value = JSON.parse(r.value!.toString()) as { ts: number };
      expect(r.eventTimeMs).toBe(value.ts);
      const doc = ok(runGenerated(musicProcessing, r));
      const unmapped = unmappedFields(doc, musicIndexing);
      if (unmapped.length > 0) throw new Error(`unmapped ${unmapped.join(', ')}`);
    }
  });

  it('is deterministic per seed and ignores a clock', () => {
    const again = take(musicGeneration.generator({ seed: 3, startTimeMs: NOW - 2 * 86_400_000, now: () => 0 }), 50);
    expect(again.map((r) => r.value!.toString())).toEqual(records.slice(0, 50).map((r) => r.value!.toString()));
  });

  it('dead-letters every malformed kind', () => {
    const kinds = malformedKinds(musicGeneration.malformed);
    const pick = picker();
    for (const kind of kinds) {
      for (const r of records.slice(0, 40)) {
        const bad = corrupt(r, kind, musicGeneration.malformed, pick, NOW);
        const o = runGenerated(musicProcessing, bad);
        if (o.kind !== 'dead') throw new Error(`${kind} on ${r.topic} was ${o.kind}: ${bad.value?.toString().slice(0, 300)}`);
      }
    }
  });
});
