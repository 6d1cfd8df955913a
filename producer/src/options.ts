import { z } from 'zod';
import { parseFlags } from '../../pipeline/config';
import { chainNames } from '../../pipeline/chains/select';
import { ConfigError } from '../../pipeline/errors';
import { GENERATION } from './chains';
import { EventsimDialect } from './generators/music/EventsimDialect';
import { LOGIN_SHAPES } from './generators/login';

export const USAGE = `usage: producer [options]
  --chain NAME            login | music | interactions | profiles (default login)
  --rate N                events per second; 0 = as fast as possible (default 100)
  --pace MODE             rate: --rate per second; realtime: follow the generator's event
                          times (music sessions, song lengths), --speed times faster (default rate)
  --speed X               with --pace realtime, simulated seconds per real second while the
                          simulation is behind the wall clock (default 1)
  --count N               stop after N records (default: run until stopped)
  --duration S            stop after S seconds
  --seed N                random seed; the same seed gives the same events (default 1)
  --eventsim-dialect D    music: kafka (the Confluent fork: four topics, numeric userId)
                          or original (one stream on page_view_events, userId as text,
                          location, length) (default kafka)
  --start-time ISO        first simulated event time (default now, or now minus --backfill)
  --backfill D            start D before now (48h, 90m, 3600s, 2d) and send that history as fast
                          as the pace allows, then go on live (default 0; music at --pace rate: 48h)
                          No event is sent before its own time: a simulation that reaches the
                          wall clock follows it from then on, never ahead of it.
  --shape NAME            login events: users (a home, 1-3 devices, rare trips; default) |
                          takehome (the Fetch take-home generator's shape: random users, IPs)
  --malformed-ratio R     share of records deliberately broken, every kind in turn (default 0)
  --inject-login-bursts N login: N users each logging in --burst-size times in one second
  --burst-size N          logins per injected burst (default 20)
  --inject-travels N      login: N users logging in from two far-apart countries in one second
  --inject-failed-logins N  music: N sessions each failing to log in --burst-size times in one second
  --inject-dead-letter-spikes N  any chain: N spikes of --spike-size records that are not JSON,
                          one Kafka timestamp each (the dead-letter share counts by record time)
  --spike-size N          records per dead-letter spike (default 50)
  --inject-every N        generated records between two injected anomalies (default 500)
  --inject-seed N         seed of the injected anomalies (default --seed)
                          The summary lists every injected anomaly whose records were all acknowledged.
  --replay FILE|-         send NDJSON lines from a file or stdin instead of generating
  --topic NAME            with --replay: target topic (default the chain's first input)
  --progress-seconds S    progress line interval on stderr (default 5)
  --help`;

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

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
  backfill: z
    .string()
    .regex(/^\d+(\.\d+)?[smhd]?$/, 'must be a duration like 48h, 90m, 3600s or 2d')
    .transform((d) => Number.parseFloat(d) * UNIT_MS[/[smhd]$/.test(d) ? (d.at(-1) as keyof typeof UNIT_MS) : 's'])
    .optional(),
  shape: z.enum(LOGIN_SHAPES).optional(),
  'malformed-ratio': z.coerce.number().min(0).max(1),
  'inject-login-bursts': z.coerce.number().int().min(0),
  'burst-size': z.coerce.number().int().min(1).max(10_000),
  'inject-travels': z.coerce.number().int().min(0),
  'inject-failed-logins': z.coerce.number().int().min(0),
  'inject-dead-letter-spikes': z.coerce.number().int().min(0),
  'spike-size': z.coerce.number().int().min(1).max(100_000),
  'inject-every': z.coerce.number().int().min(1),
  'inject-seed': z.coerce.number().int().optional(),
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
      backfill: { type: 'string' },
      shape: { type: 'string' },
      'malformed-ratio': { type: 'string', default: '0' },
      'inject-login-bursts': { type: 'string', default: '0' },
      'burst-size': { type: 'string', default: '20' },
      'inject-travels': { type: 'string', default: '0' },
      'inject-failed-logins': { type: 'string', default: '0' },
      'inject-dead-letter-spikes': { type: 'string', default: '0' },
      'spike-size': { type: 'string', default: '50' },
      'inject-every': { type: 'string', default: '500' },
      'inject-seed': { type: 'string' },
      replay: { type: 'string' },
      topic: { type: 'string' },
      'progress-seconds': { type: 'string', default: '5' },
    },
    optionsSchema,
  );
}

/** A music-style simulation keeps its own clock; the others can stamp events with the wall clock. */
const SIMULATED_CLOCK_CHAINS: readonly string[] = ['music'];
/** History a rate-paced simulation sends when no start is given: it cannot run ahead of the clock. */
export const RATE_PACED_SIMULATION_BACKFILL_MS = 48 * 3_600_000;

export interface GenerationStart {
  /** The generator's first simulated event time. */
  readonly startTimeMs: number;
  /** Stamp events with the wall clock instead of simulated time. */
  readonly useClock: boolean;
}

/** Where the generated events' clock starts, from --start-time, --backfill and --pace. */
export function generationStart(o: ProducerCliOptions, nowMs: number): GenerationStart {
  if (o['start-time'] !== undefined && o.backfill !== undefined) {
    throw new ConfigError('--backfill', 'give either --start-time or --backfill, not both');
  }
  if (o.shape !== undefined && o.chain !== 'login') throw new ConfigError('--shape', `only the login chain has shapes, not ${o.chain}`);
  if (o['start-time'] !== undefined) return { startTimeMs: Date.parse(o['start-time']), useClock: false };
  if (o.backfill !== undefined) return { startTimeMs: nowMs - o.backfill, useClock: false };
  const simulated = SIMULATED_CLOCK_CHAINS.includes(o.chain);
  if (o.pace === 'rate' && simulated) return { startTimeMs: nowMs - RATE_PACED_SIMULATION_BACKFILL_MS, useClock: false };
  return { startTimeMs: nowMs, useClock: o.pace === 'rate' && !simulated };
}
