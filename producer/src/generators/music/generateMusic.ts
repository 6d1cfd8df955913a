import { createMusicSimulator } from './createMusicSimulator';
import type { ChainGenerator, GeneratedRecord, GeneratorOptions } from '../../chains/types';

/** Users present when the simulation starts; newcomers arrive at 5% of this per day. */
export const MUSIC_INITIAL_USERS = 1000;

/**
 * Eventsim-compatible traffic from the music simulator: keyless JSON values exactly as
 * Eventsim writes them, on the fork's four topics or, in the original dialect, all on
 * page_view_events. The simulator keeps its own clock
 * (sessions, song lengths), so `now` is ignored: the producer paces on `eventTimeMs`.
 */
export const generateMusic: ChainGenerator = (options) => musicIterator(options);

function* musicIterator({ seed, startTimeMs, eventsimDialect }: GeneratorOptions): Iterator<GeneratedRecord> {
  const dialect = eventsimDialect === undefined ? {} : { dialect: eventsimDialect };
  for (const r of createMusicSimulator({ seed, startTimeMs, initialUsers: MUSIC_INITIAL_USERS, ...dialect })) {
    yield { topic: r.topic, key: null, value: Buffer.from(JSON.stringify(r.value)), eventTimeMs: r.ts };
  }
}
