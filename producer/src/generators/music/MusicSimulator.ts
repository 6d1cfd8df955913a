import { Faker, en, en_US } from '@faker-js/faker';

import { createRandom, type Random } from './createRandom';
import { createSongCatalogue, type SongCatalogue } from './createSongCatalogue';
import { emitMusicRecords } from './emitMusicRecords';
import { emitOriginalRecord } from './emitOriginalRecord';
import { EventsimDialect } from './EventsimDialect';
import type { EventsimAuth, EventsimLevel } from './eventsimPages';
import { eventsimUserAgentCumulative, eventsimUserAgents } from './eventsimUserAgents';
import type { EventsimRecord } from './EventsimRecord';
import type { MusicSimulatorOptions } from './MusicSimulatorOptions';
import { musicStateGraph, type MusicState, type StartPicker } from './musicStateGraph';
import { MEAN_SESSION_START_ACCEPTANCE, sessionStartAcceptance } from './sessionStartAcceptance';
import { SimUser } from './SimUser';
import { TimeQueue } from './TimeQueue';
import { usCities, usCityCumulative } from './usCities';

// The model these follow, and where it departs from Eventsim: createMusicSimulator.ts.
const ALPHA_S = 90;
const BETA_S = 2 * 86_400;
const SESSION_GAP_MS = 1_800_000;
const PAID_WEIGHT = 0.22;
const INITIAL_AUTH: ReadonlyArray<readonly [EventsimAuth, number]> = [
  ['Logged In', 0.86],
  ['Logged Out', 0.1],
  ['Guest', 0.04],
];
const REGISTRATION_AGE_MEAN_S = 200 * 86_400;
const REGISTRATION_AGE_MAX_S = 5 * 365 * 86_400;
const SQRT_E = Math.exp(0.5);

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function requireNumber(name: string, value: number, min: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new RangeError(`MusicSimulatorOptions.${name} must be a finite number >= ${min}, got ${String(value)}`);
  }
  return value;
}

export class MusicSimulator implements Iterator<EventsimRecord>, Iterable<EventsimRecord> {
  private readonly random: Random;
  private readonly faker: Faker;
  private readonly catalogue: SongCatalogue;
  private readonly starts: Map<string, StartPicker>;
  private readonly queue = new TimeQueue<SimUser>();
  private readonly arrivalMeanGapS: number;
  private nextArrivalTs = Infinity;
  private nextUserId = 1;
  private nextSessionId = 1;
  private readonly pending: EventsimRecord[] = [];
  private pendingIndex = 0;
  private readonly emit: typeof emitMusicRecords;

  constructor(options: MusicSimulatorOptions) {
    const seed = requireNumber('seed', options.seed, -Number.MAX_VALUE);
    const startTimeMs = Math.round(requireNumber('startTimeMs', options.startTimeMs, -Number.MAX_VALUE));
    const initialUsers = Math.floor(requireNumber('initialUsers', options.initialUsers ?? 100, 0));
    const growthPerDay = requireNumber('growthPerDay', options.growthPerDay ?? 0.05 * initialUsers, 0);
    const songs = requireNumber('catalogueSize', options.catalogueSize ?? 5000, 1);
    const artists = requireNumber('artists', options.artists ?? 800, 1);
    const dialect = options.dialect ?? EventsimDialect.KAFKA;
    if (!Object.values(EventsimDialect).includes(dialect)) throw new RangeError(`MusicSimulatorOptions.dialect must be one of ${Object.values(EventsimDialect).join(', ')}, got ${String(dialect)}`);
    this.emit = dialect === EventsimDialect.ORIGINAL ? emitOriginalRecord : emitMusicRecords;

    this.starts = musicStateGraph().starts;
    this.random = createRandom(seed);
    this.faker = new Faker({ locale: [en_US, en] });
    this.faker.seed(Math.trunc(seed) | 0);
    this.catalogue = createSongCatalogue({ seed, songs, artists });

    for (let i = 0; i < initialUsers; i++) {
      const auth = this.pickInitialAuth();
      const level: EventsimLevel = auth !== 'Guest' && this.random.next() < PAID_WEIGHT ? 'paid' : 'free';
      const age = Math.min(Math.floor(this.random.exponential(REGISTRATION_AGE_MEAN_S)), REGISTRATION_AGE_MAX_S);
      const user = this.createUser(auth === 'Guest' ? 0 : startTimeMs - age * 1000);
      // Start in steady state: run the session clock from a beta before the start.
      let first = this.nextSessionStart(startTimeMs - Math.floor(user.betaS) * 1000, user.betaS);
      while (first < startTimeMs) first = this.nextSessionStart(first + SESSION_GAP_MS, user.betaS);
      this.startSession(user, first, auth, level);
      this.queue.push(user);
    }

    this.arrivalMeanGapS = growthPerDay > 0 ? 86_400 / growthPerDay : Infinity;
    if (growthPerDay > 0) this.nextArrivalTs = this.nextSessionStart(startTimeMs, this.arrivalMeanGapS);
  }

  [Symbol.iterator](): this {
    return this;
  }

  next(): IteratorResult<EventsimRecord> {
    if (this.pendingIndex < this.pending.length) {
      return { done: false, value: this.pending[this.pendingIndex++] as EventsimRecord };
    }
    this.pending.length = 0;
    this.pendingIndex = 0;

    let user = this.queue.peek();
    while (this.nextArrivalTs !== Infinity && (user === undefined || this.nextArrivalTs <= user.ts)) {
      this.arrive();
      user = this.queue.peek();
    }
    user = this.queue.pop();
    if (user === undefined) return { done: true, value: undefined };

    this.emit(user, this.catalogue, this.pending);
    if (this.advance(user)) this.queue.push(user);
    return { done: false, value: this.pending[this.pendingIndex++] as EventsimRecord };
  }

  private pickInitialAuth(): EventsimAuth {
    let r = this.random.next();
    for (const [auth, p] of INITIAL_AUTH) {
      if (r < p) return auth;
      r -= p;
    }
    return 'Logged In';
  }

  private logNormal(): number {
    return Math.exp(this.random.normal()) / SQRT_E;
  }

  private createUser(registration: number): SimUser {
    const r = this.random;
    const city = usCities[r.pickCumulative(usCityCumulative)]!;
    const zip = city.zipPrefix + String(1 + r.int(99)).padStart(2, '0');
    const female = r.next() < 0.5;
    return new SimUser(
      this.nextUserId++,
      ALPHA_S * this.logNormal(),
      BETA_S * this.logNormal(),
      zip,
      city.city,
      city.state,
      round6(city.lat + (r.next() - 0.5) * 0.1),
      round6(city.lon + (r.next() - 0.5) * 0.1),
      eventsimUserAgents[r.pickCumulative(eventsimUserAgentCumulative)]!,
      this.faker.person.firstName(female ? 'female' : 'male'),
      this.faker.person.lastName(),
      female ? 'F' : 'M',
      registration,
    );
  }

  /** A new user shows up as a guest and starts browsing at once. */
  private arrive(): void {
    const user = this.createUser(0);
    this.startSession(user, this.nextArrivalTs, 'Guest', 'free');
    this.queue.push(user);
    this.nextArrivalTs = this.nextSessionStart(this.nextArrivalTs, this.arrivalMeanGapS);
  }

  /**
   * First accepted candidate after `fromMs`: candidates are an exponential process with
   * mean gap `meanGapS` × mean acceptance, each kept with sessionStartAcceptance(t), so
   * the long-run rate stays 1 / meanGapS while following the daily and weekly cycle.
   */
  private nextSessionStart(fromMs: number, meanGapS: number): number {
    const mean = meanGapS * MEAN_SESSION_START_ACCEPTANCE;
    let t = fromMs;
    for (;;) {
      t += Math.floor(this.random.exponential(mean)) * 1000;
      if (this.random.next() < sessionStartAcceptance(t)) return t;
    }
  }

  private startSession(user: SimUser, ts: number, auth: EventsimAuth, level: EventsimLevel): void {
    const picker = this.starts.get(`${auth}|${level}`);
    if (picker === undefined) throw new Error(`no session start states for ${auth}|${level}`);
    user.sessionId = this.nextSessionId++;
    user.item = 0;
    user.ts = ts;
    user.prevPage = null;
    user.song = -1;
    user.songEnd = 0;
    user.state = picker.states[this.random.pickCumulative(picker.cumulative)]!;
    if (user.state.song) this.playSong(user, ts);
  }

  private playSong(user: SimUser, ts: number): void {
    user.song = this.random.pickCumulative(this.catalogue.cumulative);
    user.songEnd = ts + Math.ceil(this.catalogue.duration[user.song]!) * 1000;
  }

  /** Moves the user to its next event; false when the user churned. */
  private advance(user: SimUser): boolean {
    const current = user.state;
    const u = this.random.next();
    const cumulative = current.cumulative;
    let next: MusicState | undefined;
    for (let i = 0; i < cumulative.length; i++) {
      if (u < cumulative[i]!) {
        next = current.next[i];
        break;
      }
    }

    if (next === undefined) {
      if (current.auth === 'Cancelled') return false;
      const start = this.nextSessionStart(user.ts + SESSION_GAP_MS, user.betaS);
      this.startSession(user, start, current.auth, current.level);
      return true;
    }

    const ts = user.ts;
    let t: number;
    if (next.song && user.song >= 0 && user.songEnd > ts) {
      t = current.redirect ? Math.max(user.songEnd, ts + 1000) : user.songEnd;
    } else if (current.redirect) {
      t = ts + 1000;
    } else {
      t = ts + Math.floor(this.random.exponential(user.alphaS)) * 1000;
    }
    if (next.page === 'Submit Registration') user.registration = t;
    if (next.song) this.playSong(user, t);
    user.prevPage = current.page;
    user.state = next;
    user.item++;
    user.ts = t;
    return true;
  }
}
