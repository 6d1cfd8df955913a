import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Message } from '@confluentinc/kafka-javascript';
import type { Client } from '@opensearch-project/opensearch';
import { indexingWithNamespace } from '../../pipeline/chains/indexing';
import { musicIndexing } from '../../pipeline/chains/music/indexing';
import { MusicTopic } from '../../pipeline/chains/music/topics';
import { DeadLetterCode, DeadLetterHeader } from '../../pipeline/core';
import { KAFKA_BROKERS, OPENSEARCH_URL, eventually, uniqueName } from '../helpers/env';
import { header, readTopic, useTopics } from '../helpers/kafka';
import { countDocs, useOpenSearch } from '../helpers/opensearch';
import { SERVICE, kill, runToEnd, startService, type RunningService } from '../helpers/services';

/**
 * The music chain on the real stack: simulated Eventsim traffic on four topics (5% of it
 * broken) plus the recorded Eventsim sample replayed byte for byte, through the real
 * processor and indexer processes into OpenSearch.
 */
const PARTITIONS = 3;
const ns = `${uniqueName('e2e-music')}-`;
const chain = indexingWithNamespace(musicIndexing, ns);
const env = {
  KAFKA_BROKERS: KAFKA_BROKERS.join(','),
  OPENSEARCH_URL,
  STREAMDEX_NAMESPACE: ns,
  CHAINS: 'music',
  TOPIC_PARTITIONS: String(PARTITIONS),
};
const FIXTURES = join(__dirname, '..', 'fixtures', 'eventsim');
const TOPICS = [MusicTopic.LISTEN, MusicTopic.PAGE_VIEW, MusicTopic.AUTH, MusicTopic.STATUS_CHANGE];
const fixtureLines = (topic: string) => readFileSync(join(FIXTURES, `${topic}.ndjson`), 'utf8').split('\n').filter((l) => l.trim() !== '');
const COUNT = 3000;

const topics = useTopics();
const search = useOpenSearch();
search.cleanup(`${ns}*`);

let processor: RunningService;
let indexer: RunningService;
let os: Client;
let produced: { valid: number; malformed: Record<string, number> };
let replayed = 0;

afterAll(async () => {
  await Promise.all([processor, indexer].filter(Boolean).map((s) => kill(s, 'SIGTERM')));
  await topics.admin().deleteTopics([...chain.topics.inputs, chain.topics.output, chain.topics.deadLetter]).catch(() => undefined);
});

const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);

async function hits(query: unknown, size = 100): Promise<Array<Record<string, any>>> {
  const r = await os.search({ index: chain.index.alias, body: { query, size } as never });
  return (r.body as unknown as { hits: { hits: Array<{ _source: Record<string, any> }> } }).hits.hits.map((h) => h._source);
}

describe('the music chain on the real stack', () => {
  it('creates its four input topics, output and dead-letter topic with the admin command', async () => {
    const r = await runToEnd(SERVICE.admin, env, ['create-topics']);
    expect(r.code).toBe(0);
    const all = await topics.admin().listTopics();
    expect(all).toEqual(expect.arrayContaining([...chain.topics.inputs, chain.topics.output, chain.topics.deadLetter]));
    expect(chain.topics.inputs).toEqual(TOPICS.map((t) => `${ns}${t}`));
  });

  it('indexes every valid simulated event and every replayed Eventsim line exactly once', async () => {
    os = search.client();
    processor = startService(SERVICE.processor, env);
    indexer = startService(SERVICE.indexer, env);

    const result = await runToEnd(SERVICE.producer, env, ['--chain', 'music', '--rate', '0', '--count', String(COUNT), '--malformed-ratio', '0.05', '--seed', '11']);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.lastLine) as { sent: number; failed: number; acked: typeof produced };
    produced = summary.acked;
    expect(summary.failed).toBe(0);
    expect(produced.valid + sum(produced.malformed)).toBe(COUNT);
    expect(Object.keys(produced.malformed).sort()).toEqual(
      ['ancient_timestamp', 'empty', 'future_timestamp', 'invalid_utf8', 'missing_field', 'not_json', 'not_object', 'oversized', 'tombstone', 'wrong_type'].sort(),
    );

    for (const topic of TOPICS) {
      const r = await runToEnd(SERVICE.producer, env, ['--chain', 'music', '--replay', join(FIXTURES, `${topic}.ndjson`), '--topic', `${ns}${topic}`, '--rate', '0']);
      expect(r.code).toBe(0);
      const s = JSON.parse(r.lastLine) as { acked: typeof produced; failed: number };
      expect(s.failed).toBe(0);
      expect(s.acked.valid).toBe(fixtureLines(topic).length);
      replayed += s.acked.valid;
    }
    expect(replayed).toBe(75);

    const expected = produced.valid + replayed;
    await eventually(() => countDocs(os, chain.index.alias), (n) => n >= expected, 120_000, 'all valid events indexed');
    await sleep(2000);
    expect(await countDocs(os, chain.index.alias)).toBe(expected);
  });

  it('dead-letters every malformed record once per source record, naming its source topic', async () => {
    const coordinatesOf = (m: Message) =>
      `${header(m, DeadLetterHeader.SOURCE_TOPIC)}/${header(m, DeadLetterHeader.SOURCE_PARTITION)}/${header(m, DeadLetterHeader.SOURCE_OFFSET)}`;
    const dead = await eventually(
      () => readTopic(chain.topics.deadLetter, PARTITIONS),
      (m) => new Set(m.map(coordinatesOf)).size >= sum(produced.malformed),
      60_000,
      'dead letters',
    );
    expect(new Set(dead.map(coordinatesOf)).size).toBe(sum(produced.malformed));
    for (const m of dead) {
      expect(chain.topics.inputs).toContain(header(m, DeadLetterHeader.SOURCE_TOPIC));
      expect(header(m, DeadLetterHeader.STAGE)).toBe('processor');
    }
    const codes = new Set(dead.map((m) => header(m, DeadLetterHeader.CODE)));
    expect(codes).toEqual(
      new Set([
        DeadLetterCode.EMPTY_VALUE,
        DeadLetterCode.INVALID_UTF8,
        DeadLetterCode.NOT_JSON,
        DeadLetterCode.NOT_OBJECT,
        DeadLetterCode.SCHEMA,
        DeadLetterCode.TIMESTAMP_OUT_OF_RANGE,
        DeadLetterCode.TOMBSTONE,
        DeadLetterCode.TOO_LARGE,
      ]),
    );
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
    const r = await os.search({ index: chain.index.alias, body: { size: 0, aggs: { t: { terms: { field: 'event_type' } } } } as never });
    const buckets = (r.body as unknown as { aggregations: { t: { buckets: Array<{ key: string }> } } }).aggregations.t.buckets.map((b) => b.key);
    expect(buckets.sort()).toEqual(['auth', 'listen', 'page_view', 'status_change']);
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
