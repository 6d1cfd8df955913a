import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../pipeline/errors';
import { loginGeneration, musicGeneration, type GeneratedRecord, type GenerationFacet } from '../../producer/src/chains';
import { generationStart, parseProducerArgs, RATE_PACED_SIMULATION_BACKFILL_MS, type ProducerCliOptions } from '../../producer/src/options';
import { runProducer, type ProducerClock, type RunOptions } from '../../producer/src/runProducer';

const WALL_START = Date.UTC(2025, 5, 1, 12, 0, 0);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

interface Sent {
  /** The record's own event time. */
  eventMs: number;
  /** The (fake) wall clock when it was handed to Kafka. */
  wallMs: number;
}

/** A wall clock that jumps to the time a sleep asks for, so hours of pacing run at once. */
function fakeClock(): ProducerClock & { t: number } {
  const clock = {
    t: WALL_START,
    now: () => clock.t,
    sleepUntil: async (t: number) => {
      clock.t = Math.max(clock.t, t);
    },
  };
  return clock;
}

function cli(argv: string[]): ProducerCliOptions {
  const o = parseProducerArgs(argv);
  if (o === 'help') throw new Error('unexpected --help');
  return o;
}

/** Runs the producer as main does for these flags, for `wallMs` of fake wall time. */
async function produce(chain: GenerationFacet, argv: string[], wallMs: number): Promise<Sent[]> {
  const o = cli(['--chain', chain.name, ...argv]);
  const start = generationStart(o, WALL_START);
  const clock = fakeClock();
  const events: number[] = [];
  const sentAt: number[] = [];
  const it = chain.generator(start.useClock ? { seed: o.seed, startTimeMs: start.startTimeMs, now: clock.now } : { seed: o.seed, startTimeMs: start.startTimeMs });
  const source = {
    [Symbol.asyncIterator]: () => ({
      next: async () => {
        const r = it.next();
        if (!r.done) events.push((r.value as GeneratedRecord).eventTimeMs);
        return r;
      },
    }),
  };
  // The count caps a pacing bug that would never let the fake clock advance.
  const options: RunOptions = { rate: o.rate, pace: o.pace, speed: o.speed, durationMs: wallMs, count: 300_000, seed: o.seed, malformedRatio: 0, progressMs: HOUR };
  await runProducer(options, {
    producer: { pending: 0, pendingBelow: async () => undefined, flush: async () => undefined, sendWithCallback: (_record, cb) => (sentAt.push(clock.now()), cb(null, null)) },
    chain,
    source,
    signal: new AbortController().signal,
    progress: () => undefined,
    mixMalformed: false,
    clock,
  });
  return sentAt.map((wallMs, i) => ({ eventMs: events[i]!, wallMs }));
}

const aheadOfClock = (sent: readonly Sent[]) => sent.filter((s) => s.eventMs > s.wallMs);

describe('generationStart: where the generated clock starts', () => {
  it('starts now by default, as the usage text says; music at --pace rate backfills 48 h', () => {
    expect(generationStart(cli(['--chain', 'music', '--pace', 'realtime']), WALL_START)).toEqual({ startTimeMs: WALL_START, useClock: false });
    expect(generationStart(cli(['--chain', 'login']), WALL_START)).toEqual({ startTimeMs: WALL_START, useClock: true });
    expect(generationStart(cli(['--chain', 'login', '--pace', 'realtime']), WALL_START)).toEqual({ startTimeMs: WALL_START, useClock: false });
    expect(generationStart(cli(['--chain', 'music']), WALL_START)).toEqual({ startTimeMs: WALL_START - RATE_PACED_SIMULATION_BACKFILL_MS, useClock: false });
    expect(RATE_PACED_SIMULATION_BACKFILL_MS).toBe(48 * HOUR);
  });

  it('starts --backfill before now, or at --start-time, never both', () => {
    const at = (d: string) => generationStart(cli(['--chain', 'music', '--pace', 'realtime', '--backfill', d]), WALL_START).startTimeMs;
    expect([at('48h'), at('90m'), at('3600s'), at('3600'), at('2d'), at('1.5h')]).toEqual(
      [48 * HOUR, 90 * MINUTE, HOUR, HOUR, 48 * HOUR, 90 * MINUTE].map((b) => WALL_START - b),
    );
    expect(generationStart(cli(['--chain', 'login', '--start-time', '2025-05-01T00:00:00Z']), WALL_START)).toEqual({ startTimeMs: Date.UTC(2025, 4, 1), useClock: false });
    expect(() => generationStart(cli(['--start-time', '2025-05-01', '--backfill', '1h']), WALL_START)).toThrow(ConfigError);
    expect(() => cli(['--backfill', '48 hours'])).toThrow(/--backfill/);
  });

  it('takes --shape for logins only', () => {
    expect(cli(['--shape', 'takehome']).shape).toBe('takehome');
    expect(() => cli(['--shape', 'random'])).toThrow(/--shape/);
    expect(() => generationStart(cli(['--chain', 'music', '--shape', 'users']), WALL_START)).toThrow(/--shape/);
  });
});

describe('runProducer pacing on a fake wall clock', () => {
  it('sends a 48 h backfill at --speed 60, reaches now, then follows the wall clock and never runs ahead', async () => {
    const sent = await produce(musicGeneration, ['--pace', 'realtime', '--backfill', '48h', '--speed', '60'], 3 * HOUR);
    expect(aheadOfClock(sent)).toEqual([]);
    const simStart = sent[0]!.eventMs;
    expect(simStart).toBeGreaterThanOrEqual(WALL_START - 48 * HOUR);
    expect(simStart).toBeLessThan(WALL_START - 47 * HOUR);

    // The simulation catches up with the clock when (wall - start) * 60 = 48 h + (wall - start).
    const caughtUp = WALL_START + (48 * HOUR) / 59;
    const backfill = sent.filter((s) => s.wallMs < caughtUp - 1000);
    const live = sent.filter((s) => s.wallMs > caughtUp + 1000);
    for (const s of backfill) expect(Math.abs(s.wallMs - (WALL_START + (s.eventMs - simStart) / 60))).toBeLessThanOrEqual(2);
    // History ends at the moment it reaches the wall clock: nothing left behind, nothing ahead.
    expect(caughtUp - backfill[backfill.length - 1]!.eventMs).toBeLessThan(5 * MINUTE);
    expect(live.length).toBeGreaterThan(1000);
    for (const s of live) expect(s.wallMs).toBe(s.eventMs);
    expect(sent[sent.length - 1]!.eventMs).toBeGreaterThan(WALL_START + 3 * HOUR - 5 * MINUTE);
  });

  it('sends a rate-paced backfill as fast as asked, then stamps no login ahead of the clock', async () => {
    const sent = await produce(loginGeneration, ['--rate', '0', '--backfill', '10m'], 5 * MINUTE);
    expect(aheadOfClock(sent)).toEqual([]);
    const history = sent.filter((s) => s.eventMs <= WALL_START);
    expect(history.length).toBeGreaterThan(4000);
    for (const s of history) expect(s.wallMs).toBe(WALL_START);
    const live = sent.filter((s) => s.eventMs > WALL_START);
    expect(live.length).toBeGreaterThan(1000);
    for (const s of live) expect(s.wallMs).toBe(s.eventMs);
  });

  it('starts a realtime simulation at now when no start is given, and keeps to the wall clock', async () => {
    const sent = await produce(musicGeneration, ['--pace', 'realtime', '--speed', '60'], HOUR);
    expect(aheadOfClock(sent)).toEqual([]);
    expect(sent[0]!.eventMs).toBeGreaterThanOrEqual(WALL_START);
    for (const s of sent) expect(s.wallMs).toBe(s.eventMs);
  });
});

describe("./streamdex's music producer (services.json)", () => {
  const services = JSON.parse(readFileSync(join(__dirname, '..', '..', 'services.json'), 'utf8')) as { services: Array<{ name: string; args: string[] }> };
  const args = services.services.find((s) => s.name === 'producer-music')!.args;

  it('fills "Last 15 minutes" within a minute and keeps it filled for hours, never ahead of the clock', async () => {
    expect(args.slice(0, 2)).toEqual(['--chain', 'music']);
    const sent = await produce(musicGeneration, args.slice(2), 4 * HOUR);
    expect(aheadOfClock(sent)).toEqual([]);
    expect(sent[0]!.eventMs).toBeLessThan(WALL_START - 24 * HOUR);
    // At every minute of the wall clock, what was sent so far has events from its last 15 minutes.
    let i = 0;
    let latest = -Infinity;
    const empty: string[] = [];
    for (let wall = WALL_START + MINUTE; wall <= WALL_START + 4 * HOUR; wall += MINUTE) {
      while (i < sent.length && sent[i]!.wallMs <= wall) latest = Math.max(latest, sent[i++]!.eventMs);
      if (!(latest >= wall - 15 * MINUTE)) empty.push(`${(wall - WALL_START) / MINUTE} min`);
    }
    expect(empty).toEqual([]);
  });
});
