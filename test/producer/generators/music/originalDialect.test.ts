import { musicProcessing } from '../../../../pipeline/chains/music/processing';
import { MusicTopic } from '../../../../pipeline/chains/music/topics';
import { musicGeneration } from '../../../../producer/src/chains';
import { createMusicSimulator, EventsimDialect, type EventsimRecord } from '../../../../producer/src/generators/music';
import { parseProducerArgs } from '../../../../producer/src/options';
import { NOW, ok, runGenerated, take } from '../../../pipeline/chains/chainTestKit';

const START = Date.UTC(2024, 0, 4);
const ORIGINAL_KEYS = ['ts', 'userId', 'sessionId', 'page', 'auth', 'method', 'status', 'level', 'itemInSession'];
const SHOWN_KEYS = ['location', 'userAgent', 'lastName', 'firstName', 'registration', 'gender'];

describe('the music simulator in the original Eventsim dialect', () => {
  const records = take<EventsimRecord>(createMusicSimulator({ seed: 42, startTimeMs: START, dialect: EventsimDialect.ORIGINAL }), 4000);
  const fork = take<EventsimRecord>(createMusicSimulator({ seed: 42, startTimeMs: START }), 12_000).filter((r) => r.topic === MusicTopic.PAGE_VIEW);

  it('writes one stream, the fork\'s page views event for event, in the original\'s fields and order', () => {
    expect(new Set(records.map((r) => r.topic))).toEqual(new Set([MusicTopic.PAGE_VIEW]));
    expect(fork.length).toBeGreaterThanOrEqual(records.length);
    let guests = 0;
    let songs = 0;
    for (const [i, r] of records.entries()) {
      const v = r.value;
      const f = fork[i]!.value;
      const shown = f['userId'] !== undefined;
      const song = v['page'] === 'NextSong';
      expect(Object.keys(v)).toEqual([...ORIGINAL_KEYS, ...(shown ? SHOWN_KEYS : []), ...(song ? ['artist', 'song', 'length'] : [])]);
      expect(v).toMatchObject({ ts: f['ts'], sessionId: f['sessionId'], page: f['page'], auth: f['auth'], level: f['level'], itemInSession: f['itemInSession'] });
      expect(v['userId']).toBe(shown ? String(f['userId']) : '');
      if (shown) expect(v).toMatchObject({ location: `${f['city']}, ${f['state']}`, userAgent: f['userAgent'], registration: f['registration'] });
      if (song) expect([v['artist'], v['song'], v['length']]).toEqual([f['artist'], f['song'], f['duration']]);
      guests += shown ? 0 : 1;
      songs += song ? 1 : 0;
    }
    expect(guests).toBeGreaterThan(0);
    expect(songs).toBeGreaterThan(records.length / 2);
  });

  it('goes through the processor as the original dialect, none dead-lettered', () => {
    const gen = take(musicGeneration.generator({ seed: 3, startTimeMs: NOW - 86_400_000, eventsimDialect: EventsimDialect.ORIGINAL }), 2000);
    const docs = gen.map((r) => ok(runGenerated(musicProcessing, r)));
    expect(docs.every((d) => d.quality.dialect === 'eventsim_original' && d.event_type === 'page_view')).toBe(true);
    expect(docs.filter((d) => d.is_guest).length).toBe(gen.filter((r) => (JSON.parse(r.value!.toString()) as { userId: string }).userId === '').length);
  });

  it('refuses an unknown dialect', () => {
    expect(() => createMusicSimulator({ seed: 1, startTimeMs: START, dialect: 'spark' as EventsimDialect })).toThrow(/dialect must be one of kafka, original/);
  });
});

describe('--eventsim-dialect', () => {
  it('is absent by default (the fork) and takes kafka or original', () => {
    expect(parseProducerArgs([])).not.toHaveProperty('eventsim-dialect', expect.anything());
    expect(parseProducerArgs(['--chain', 'music', '--eventsim-dialect', 'original'])).toMatchObject({ 'eventsim-dialect': 'original' });
    expect(parseProducerArgs(['--eventsim-dialect', 'kafka'])).toMatchObject({ 'eventsim-dialect': 'kafka' });
    expect(() => parseProducerArgs(['--eventsim-dialect', 'spark'])).toThrow(/^--eventsim-dialect: /);
  });
});
