import { z } from 'zod';
import { parseFlags } from '../../pipeline/config';
import { chainNames } from '../../pipeline/chains/select';
import { GENERATION } from './chains';
import { EventsimDialect } from './generators/music/EventsimDialect';

export const USAGE = `usage: producer [options]
  --chain NAME            login | music | interactions            (default login)
  --rate N                events per second; 0 = as fast as possible (default 100)
  --pace MODE             rate: --rate per second; realtime: follow the generator's event
                          times (music sessions, song lengths), --speed times faster (default rate)
  --speed X               with --pace realtime, simulated seconds per real second (default 1)
  --count N               stop after N records (default: run until stopped)
  --duration S            stop after S seconds
  --seed N                random seed; the same seed gives the same events (default 1)
  --eventsim-dialect D    music: kafka (the Confluent fork: four topics, numeric userId)
                          or original (one stream on page_view_events, userId as text,
                          location, length) (default kafka)
  --start-time ISO        first simulated event time (default now); e.g. a week ago to backfill
  --malformed-ratio R     share of records deliberately broken, every kind in turn (default 0)
  --replay FILE|-         send NDJSON lines from a file or stdin instead of generating
  --topic NAME            with --replay: target topic (default the chain's first input)
  --progress-seconds S    progress line interval on stderr (default 5)
  --help`;

const optionsSchema = z.object({
  chain: z.string().refine((c) => chainNames(GENERATION).includes(c), { message: `must be one of ${chainNames(GENERATION).join(', ')}` }),
  rate: z.coerce.number().min(0),
  pace: z.enum(['rate', 'realtime']),
  speed: z.coerce.number().positive(),
  count: z.coerce.number().int().positive().optional(),
  duration: z.coerce.number().positive().optional(),
  seed: z.coerce.number().int(),
  'eventsim-dialect': z.enum(Object.values(EventsimDialect)).optional(),
  'start-time': z.iso.datetime({ offset: true, local: true }).or(z.iso.date()).optional(),
  'malformed-ratio': z.coerce.number().min(0).max(1),
  replay: z.string().optional(),
  topic: z.string().min(1).optional(),
  'progress-seconds': z.coerce.number().positive(),
});

export type ProducerCliOptions = z.infer<typeof optionsSchema>;

export function parseProducerArgs(argv: string[]): ProducerCliOptions | 'help' {
  return parseFlags(
    argv,
    {
      chain: { type: 'string', default: 'login' },
      rate: { type: 'string', default: '100' },
      pace: { type: 'string', default: 'rate' },
      speed: { type: 'string', default: '1' },
      count: { type: 'string' },
      duration: { type: 'string' },
      seed: { type: 'string', default: '1' },
      'eventsim-dialect': { type: 'string' },
      'start-time': { type: 'string' },
      'malformed-ratio': { type: 'string', default: '0' },
      replay: { type: 'string' },
      topic: { type: 'string' },
      'progress-seconds': { type: 'string', default: '5' },
    },
    optionsSchema,
  );
}
