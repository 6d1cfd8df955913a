import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { musicIndexing } from '../../pipeline/chains/music/indexing';
import { detectDialect, MusicDialect } from '../../pipeline/chains/music/schema';
import { MusicTopic } from '../../pipeline/chains/music/topics';
import { DeadLetterCode, DeadLetterHeader } from '../../pipeline/core';
import { headerOf as header } from '../../harness';
import { musicGeneration } from '../../producer/src/chains';
import { EventsimDialect } from '../../producer/src/generators/music';
import { chainKit } from './chainKit';

/**
 * Both Eventsim dialects on one topic of the real stack: the recorded samples of the
 * original and of the Kafka fork, interleaved with broken records of each, replayed into
 * page_view_events, plus the simulator writing the original dialect; every document and
 * every dead letter is counted per dialect.
 */
const kit = chainKit(musicIndexing);
const { chain, ns } = kit;
const FIXTURES = join(__dirname, '..', 'fixtures', 'eventsim');
const lines = (file: string) => readFileSync(join(FIXTURES, file), 'utf8').split('\n').filter((l) => l.trim() !== '');
const START = '2024-01-04T00:00:00Z';
const SIMULATED = 400;

const original = lines('original.ndjson');
const fork = lines(`${MusicTopic.PAGE_VIEW}.ndjson`);
const patch = (line: string, p: Record<string, unknown>) => JSON.stringify({ ...(JSON.parse(line) as object), ...p });
const { lat: _lat, ...forkNoLat } = JSON.parse(fork[0]!) as Record<string, unknown>;
const broken = {
  [MusicDialect.ORIGINAL]: [patch(original[0]!, { userId: 'user-30' }), patch(original[1]!, { length: -1 }), patch(original[2]!, { sessionId: 'x' })],
  [MusicDialect.KAFKA]: [patch(fork[0]!, { userId: '1047' }), patch(fork[1]!, { userId: '' }), JSON.stringify(forkNoLat), patch(fork[2]!, { duration: 'long' })],
};
const isGuest = (line: string) => {
  const v = JSON.parse(line) as { userId?: unknown };
  return v.userId === undefined || v.userId === '' || v.userId === null;
};

/** The simulated original-dialect records the producer sends, regenerated here to count guests. */
const simulated = (() => {
  const it = musicGeneration.generator({ seed: 5, startTimeMs: Date.parse(START), eventsimDialect: EventsimDialect.ORIGINAL });
  return Array.from({ length: SIMULATED }, () => it.next().value!.value!.toString());
})();

describe('both Eventsim dialects on the real stack', () => {
  const dir = mkdtempSync(join(tmpdir(), 'streamdex-dialects-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('indexes every valid record of each dialect and dead-letters the broken ones, counted per dialect', async () => {
    await kit.expectTopicsCreated();
    kit.startConsumers();

    // Interleaved: a line of each in turn, broken ones spread among them.
    const mixed: string[] = [];
    const queues = [[...original], [...fork], [...broken[MusicDialect.ORIGINAL]], [...broken[MusicDialect.KAFKA]]];
    while (queues.some((q) => q.length > 0)) for (const q of queues) if (q.length > 0) mixed.push(q.shift()!);
    const file = join(dir, 'mixed.ndjson');
    writeFileSync(file, `${mixed.join('\n')}\n`);

    const replay = await kit.produce(['--chain', 'music', '--replay', file, '--topic', `${ns}${MusicTopic.PAGE_VIEW}`, '--rate', '0']);
    expect(replay.acked.valid).toBe(25 + 53 + 3 + 4);
    const sim = await kit.produce(['--chain', 'music', '--eventsim-dialect', 'original', '--start-time', START, '--seed', '5', '--rate', '0', '--count', String(SIMULATED)]);
    expect(sim.acked.valid).toBe(SIMULATED);

    await kit.expectExactly(25 + 53 + SIMULATED, 120_000, 2000, 'both dialects indexed');

    const count = async (query: unknown) => {
      const r = await kit.os().count({ index: chain.index.alias, body: { query } as never });
      return (r.body as unknown as { count: number }).count;
    };
    const dialect = (d: MusicDialect) => ({ term: { 'quality.dialect': d } });
    const guests = (d: MusicDialect) => ({ bool: { filter: [dialect(d), { term: { is_guest: true } }] } });

    expect(original.filter(isGuest)).toHaveLength(7);
    const simulatedGuests = simulated.filter(isGuest).length;
    expect(simulatedGuests).toBeGreaterThan(0);
    expect(await count(dialect(MusicDialect.ORIGINAL))).toBe(25 + SIMULATED);
    expect(await count(guests(MusicDialect.ORIGINAL))).toBe(7 + simulatedGuests);
    expect(await count(dialect(MusicDialect.KAFKA))).toBe(53);
    expect(await count(guests(MusicDialect.KAFKA))).toBe(fork.filter(isGuest).length);
    expect(fork.filter(isGuest).length).toBeGreaterThan(0);

    const repaired = await kit.hits({ term: { 'quality.normalized': 'text_mojibake_repaired' } });
    expect(repaired.map((d) => d.artist).sort()).toEqual(['Beyoncé', 'Björk', 'Motörhead', 'Sigur Rós']);
    expect(repaired.find((d) => d.artist === 'Björk')).toMatchObject({ song: 'Jóga', original: { artist: 'BjÃ¶rk', song: 'JÃ³ga' }, quality: { dialect: 'eventsim_original' } });
    const boston = await kit.hits({ term: { sessionId: 6003 } });
    expect(boston).toHaveLength(7);
    for (const d of boston) expect(d).toMatchObject({ userId: 9, city: 'Boston-Cambridge-Newton', state: 'MA-NH', is_guest: false });

    const { messages, distinct } = await kit.deadLetters(7);
    expect(distinct).toBe(7);
    const perDialect: Record<string, string[]> = {};
    for (const m of messages) {
      expect(header(m, DeadLetterHeader.CODE)).toBe(DeadLetterCode.SCHEMA);
      const d = detectDialect(JSON.parse(m.value!.toString()) as Record<string, unknown>);
      (perDialect[d] ??= []).push(header(m, DeadLetterHeader.FIELD)!);
    }
    expect(perDialect[MusicDialect.ORIGINAL]!.sort()).toEqual(['length', 'sessionId', 'userId']);
    expect(perDialect[MusicDialect.KAFKA]!.sort()).toEqual(['duration', 'lat', 'userId', 'userId']);
  });
});
