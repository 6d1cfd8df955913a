import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { musicIndexing } from '../../pipeline/chains/music/indexing';
import { MusicTopic } from '../../pipeline/chains/music/topics';
import { DeadLetterHeader } from '../../pipeline/core';
import { headerOf as header } from '../../harness';
import { chainKit, MALFORMED_CODES, sum } from './chainKit';

/**
 * The music chain on the real stack: simulated Eventsim traffic on four topics (5% of it
 * broken) plus the recorded Eventsim sample replayed byte for byte, through the real
 * processor and indexer processes into OpenSearch.
 */
const kit = chainKit(musicIndexing);
const { chain, ns } = kit;
const FIXTURES = join(__dirname, '..', 'fixtures', 'eventsim');
const TOPICS = [MusicTopic.LISTEN, MusicTopic.PAGE_VIEW, MusicTopic.AUTH, MusicTopic.STATUS_CHANGE];
const fixtureLines = (topic: string) => readFileSync(join(FIXTURES, `${topic}.ndjson`), 'utf8').split('\n').filter((l) => l.trim() !== '');
const COUNT = 3000;
const hits = kit.hits;

let produced: { valid: number; malformed: Record<string, number> };
let replayed = 0;

describe('the music chain on the real stack', () => {
  it('creates its four input topics, output and dead-letter topic with the admin command', async () => {
    await kit.expectTopicsCreated();
    expect(chain.topics.inputs).toEqual(TOPICS.map((t) => `${ns}${t}`));
  });

  it('indexes every valid simulated event and every replayed Eventsim line exactly once', async () => {
    kit.startConsumers();

    produced = (await kit.produce(['--chain', 'music', '--rate', '0', '--count', String(COUNT), '--malformed-ratio', '0.05', '--seed', '11'])).acked;
    expect(produced.valid + sum(produced.malformed)).toBe(COUNT);
    expect(Object.keys(produced.malformed).sort()).toEqual(
      ['ancient_timestamp', 'empty', 'future_timestamp', 'invalid_utf8', 'missing_field', 'not_json', 'not_object', 'oversized', 'tombstone', 'wrong_type'].sort(),
    );

    for (const topic of TOPICS) {
      const s = await kit.produce(['--chain', 'music', '--replay', join(FIXTURES, `${topic}.ndjson`), '--topic', `${ns}${topic}`, '--rate', '0']);
      expect(s.acked.valid).toBe(fixtureLines(topic).length);
      replayed += s.acked.valid;
    }
    expect(replayed).toBe(75);

    const expected = produced.valid + replayed;
    await kit.expectExactly(expected, 120_000, 2000, 'all valid events indexed');
  });

  it('dead-letters every malformed record once per source record, naming its source topic', async () => {
    const deadLetters = await kit.deadLetters(sum(produced.malformed));
    const { messages: dead, distinct } = deadLetters;
    expect(distinct).toBe(sum(produced.malformed));
    for (const m of dead) {
      expect(chain.topics.inputs).toContain(header(m, DeadLetterHeader.SOURCE_TOPIC));
      expect(header(m, DeadLetterHeader.STAGE)).toBe('processor');
    }
    const codes = new Set(dead.map((m) => header(m, DeadLetterHeader.CODE)));
    expect(codes).toEqual(new Set(MALFORMED_CODES));
    await kit.expectDeadLettersIndexed(deadLetters);
  });

  it('indexes the Eventsim sample with its fields, guests, geo points and parsed user agents', async () => {
    // Session 5012 of the sample: userId 1047 in Tampa, upgrading from free.
    const tampa = await hits({ term: { sessionId: 5012 } });
    const expectedLines = TOPICS.flatMap((t) => fixtureLines(t)).filter((l) => (JSON.parse(l) as { sessionId: number }).sessionId === 5012).length;
    expect(tampa).toHaveLength(expectedLines);
    for (const d of tampa) {
      expect(d).toMatchObject({ userId: 1047, city: 'Tampa', state: 'FL', zip: '33614', location: { lat: 28.002632, lon: -82.505362 }, is_guest: false });
      expect(d.user_agent).toMatchObject({ browser: 'Chrome', os: 'Windows' });
      expect(d.user_agent.original.startsWith('Mozilla/5.0')).toBe(true);
    }
    const change = tampa.find((d) => d.event_type === 'status_change');
    expect(change).toMatchObject({ level: 'free', level_change: 'upgrade', event_time: new Date(1647885911000).toISOString() });
    const listen = tampa.find((d) => d.event_type === 'listen' && d.song === 'Use Somebody');
    expect(listen).toMatchObject({ artist: 'Kings Of Leon', duration: 230.81751, duration_ms: 230818 });

    // Sessions 5031 and 5040 never log in: every record is a guest's.
    const guests = await hits({ terms: { sessionId: [5031, 5040] } });
    expect(guests.length).toBeGreaterThan(0);
    expect(guests.every((d) => d.is_guest === true && d.userId === undefined)).toBe(true);

    const failedLogin = await hits({ bool: { filter: [{ term: { event_type: 'auth' } }, { term: { success: false } }] } });
    expect(failedLogin.some((d) => d.sessionId === 5023)).toBe(true);

    // Simulated traffic reached all four event types.
    const r = await kit.os().search({ index: chain.index.alias, body: { size: 0, aggs: { t: { terms: { field: 'event_type' } } } } as never });
    const buckets = (r.body as unknown as { aggregations: { t: { buckets: Array<{ key: string }> } } }).aggregations.t.buckets.map((b) => b.key);
    expect(buckets.sort()).toEqual(['auth', 'listen', 'page_view', 'status_change']);
  });
});
