import { Faker, en, en_US } from '@faker-js/faker';

import { createRandom, type Random } from './createRandom';
import { createSongCatalogue, type SongCatalogue } from './createSongCatalogue';
import { eventsimPageHttp, eventsimPages, type EventsimAuth, type EventsimLevel, type EventsimPage } from './eventsimPages';
import { eventsimNewSessionWeights, eventsimTransitions } from './eventsimTransitions';
import { eventsimUserAgentCumulative, eventsimUserAgents } from './eventsimUserAgents';
import type { EventsimRecord } from './EventsimRecord';
import { EventsimTopic } from './EventsimTopic';
import type { MusicSimulatorOptions } from './MusicSimulatorOptions';
import { MEAN_SESSION_START_ACCEPTANCE, sessionStartAcceptance } from './sessionStartAcceptance';
import { TimeQueue } from './TimeQueue';
import { usCities, usCityCumulative } from './usCities';

/*
 * A pure, deterministic re-implementation of Eventsim (the Confluent fork streamify and
 * Beatlytica run) for the music site, emitting the same four topics with the same JSON
 * fields. How it follows Eventsim (io.confluent.eventsim Main/User/Session/Output):
 *  - each user has its own mean gap between events (alpha = 90 s) and between sessions
 *    (beta), both scaled per user by a log-normal exp(N(0,1))/sqrt(e) (mean 1);
 *  - users sit in a priority queue by next event time; the earliest one emits its event
 *    and advances, so output is in nondecreasing ts order;
 *  - a session is a walk over (page, auth, level) states with per-page transition
 *    probabilities (eventsimTransitions); the leftover probability ends it;
 *  - gaps are whole seconds: exponential(alpha) truncated, except that a NextSong while
 *    the previous song still plays waits until it ends;
 *  - a session that ends in auth "Cancelled" churns the user; otherwise the next one
 *    starts session-gap (30 min) + exponential(beta) later, thinned by the daily/weekly
 *    cycle (sessionStartAcceptance), redrawing from each rejected candidate;
 *  - new users arrive as a Poisson process (thinned by the same cycle), as Guests on
 *    the free level; initial users are drawn Logged In / Logged Out / Guest and free/paid;
 *  - the level changes on the page after Submit Upgrade / Submit Downgrade, so
 *    status_change_events carry the OLD level ("free" for an upgrade);
 *  - user details (userId, names, gender, registration) appear only while auth is
 *    "Logged In" or "Cancelled"; location and user agent on every record;
 *  - fields come in Eventsim's write order (device fields as streamify's schema lists
 *    them), and `userAgent` keeps Eventsim's literal surrounding quotes
 *    (eventsimUserAgents); ts and registration are whole seconds after startTimeMs.
 *
 * Deliberate differences from Eventsim:
 *  - beta (mean gap between sessions) is 2 days, not the example config's 7, so a short
 *    simulation shows repeat visits;
 *  - the event after a 307 redirect page (Submit *, Login, Logout, Save Settings, Cancel)
 *    comes 1 s later; Eventsim instead puts the 1 s before the redirect page;
 *  - a newly registered guest's `registration` is its Submit Registration time (Eventsim:
 *    the time the user was created);
 *  - a NextSong waits ceil(duration) s for the previous song (Eventsim truncates), so
 *    songs never overlap;
 *  - no similar-song chaining (Eventsim follows a similar-songs file when present);
 *  - the daily cycle is an hourly table with its peak at 19:00–20:00 UTC instead of
 *    Eventsim's sinusoidal warp (peak ~15:00), and US holidays are not thinned;
 *  - transition probabilities are tuned (see eventsimTransitions); 22% of initial users
 *    are paid (example config: 1 in 6) and 4% are guests (example config: none);
 *  - every session of an initial user starts at or after startTimeMs, so every session
 *    is seen from itemInSession 0 (Eventsim may start one before and drop its early events).
 */

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

interface State {
  readonly page: EventsimPage;
  readonly auth: EventsimAuth;
  readonly level: EventsimLevel;
  readonly method: 'GET' | 'PUT';
  readonly status: 200 | 307 | 404;
  readonly redirect: boolean;
  readonly song: boolean;
  readonly statusChange: boolean;
  /** Whether records show the user's id and details (Eventsim's show-user-details). */
  readonly show: boolean;
  next: State[];
  /** Running total of the next states' probabilities; 1 - last = probability the session ends. */
  cumulative: Float64Array;
}

interface StartPicker {
  states: State[];
  cumulative: Float64Array;
}

const AUTHS: readonly EventsimAuth[] = ['Guest', 'Logged In', 'Logged Out', 'Cancelled'];
const LEVELS: readonly EventsimLevel[] = ['free', 'paid'];

function key(page: string, auth: EventsimAuth, level: EventsimLevel): string {
  return `${page}|${auth}|${level}`;
}

/** Builds the state graph once; states are shared, read-only, by every simulator. */
function buildStates(): { states: Map<string, State>; starts: Map<string, StartPicker> } {
  const states = new Map<string, State>();
  for (const page of eventsimPages) {
    const http = eventsimPageHttp(page);
    for (const auth of AUTHS) {
      for (const level of LEVELS) {
        states.set(key(page, auth, level), {
          page,
          auth,
          level,
          method: http.method,
          status: http.status,
          redirect: http.status === 307,
          song: page === 'NextSong',
          statusChange: page === 'Submit Upgrade' || page === 'Submit Downgrade',
          show: auth === 'Logged In' || auth === 'Cancelled',
          next: [],
          cumulative: new Float64Array(0),
        });
      }
    }
  }
  const get = (page: EventsimPage, auth: EventsimAuth, level: EventsimLevel): State => {
    const s = states.get(key(page, auth, level));
    if (s === undefined) throw new Error(`unknown Eventsim state ${key(page, auth, level)}`);
    return s;
  };
  for (const [group, table] of Object.entries(eventsimTransitions)) {
    const [auth, level] = group.split('|') as [EventsimAuth, EventsimLevel];
    for (const [page, dests] of Object.entries(table) as Array<[EventsimPage, NonNullable<(typeof table)[EventsimPage]>]>) {
      const source = get(page, auth, level);
      let total = 0;
      source.cumulative = new Float64Array(dests.length);
      dests.forEach(([destPage, p, destAuth, destLevel], i) => {
        total += p;
        source.cumulative[i] = total;
        source.next.push(get(destPage, destAuth ?? auth, destLevel ?? level));
      });
      if (total > 1 + 1e-9) throw new Error(`transition probabilities from ${key(page, auth, level)} sum to ${total}`);
    }
  }
  const starts = new Map<string, StartPicker>();
  for (const [group, weights] of Object.entries(eventsimNewSessionWeights)) {
    const [auth, level] = group.split('|') as [EventsimAuth, EventsimLevel];
    const cumulative = new Float64Array(weights.length);
    let total = 0;
    weights.forEach(([, w], i) => {
      total += w;
      cumulative[i] = total;
    });
    starts.set(group, { states: weights.map(([page]) => get(page, auth, level)), cumulative });
  }
  return { states, starts };
}

let graph: ReturnType<typeof buildStates> | undefined;

class SimUser {
  state!: State;
  ts = 0;
  sessionId = 0;
  item = 0;
  /** Catalogue index of the song last started in this session, -1 if none. */
  song = -1;
  songEnd = 0;
  prevPage: EventsimPage | null = null;

  constructor(
    readonly id: number,
    readonly alphaS: number,
    readonly betaS: number,
    readonly zip: string,
    readonly city: string,
    readonly usState: string,
    readonly lat: number,
    readonly lon: number,
    readonly userAgent: string,
    readonly firstName: string,
    readonly lastName: string,
    readonly gender: 'M' | 'F',
    public registration: number,
  ) {}
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function requireNumber(name: string, value: number, min: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new RangeError(`MusicSimulatorOptions.${name} must be a finite number >= ${min}, got ${String(value)}`);
  }
  return value;
}

class MusicSimulator implements Iterator<EventsimRecord>, Iterable<EventsimRecord> {
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

  constructor(options: MusicSimulatorOptions) {
    const seed = requireNumber('seed', options.seed, -Number.MAX_VALUE);
    const startTimeMs = Math.round(requireNumber('startTimeMs', options.startTimeMs, -Number.MAX_VALUE));
    const initialUsers = Math.floor(requireNumber('initialUsers', options.initialUsers ?? 100, 0));
    const growthPerDay = requireNumber('growthPerDay', options.growthPerDay ?? 0.05 * initialUsers, 0);
    const songs = requireNumber('catalogueSize', options.catalogueSize ?? 5000, 1);
    const artists = requireNumber('artists', options.artists ?? 800, 1);

    graph ??= buildStates();
    this.starts = graph.starts;
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

    this.emit(user);
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
    let next: State | undefined;
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

  private emit(user: SimUser): void {
    const s = user.state;
    const c = this.catalogue;
    const ts = user.ts;

    const pageView: Record<string, unknown> = {
      ts,
      sessionId: user.sessionId,
      page: s.page,
      auth: s.auth,
      method: s.method,
      status: s.status,
      level: s.level,
      itemInSession: user.item,
      city: user.city,
      zip: user.zip,
      state: user.usState,
      userAgent: user.userAgent,
      lon: user.lon,
      lat: user.lat,
    };
    if (s.show) addUserDetails(pageView, user);
    if (s.song) {
      pageView['artist'] = c.artist[user.song];
      pageView['song'] = c.title[user.song];
      pageView['duration'] = c.duration[user.song];
    }
    this.pending.push({ topic: EventsimTopic.pageView, ts, value: pageView });

    if (s.song) {
      const listen: Record<string, unknown> = {
        artist: c.artist[user.song],
        song: c.title[user.song],
        duration: c.duration[user.song],
        ts,
        sessionId: user.sessionId,
        auth: s.auth,
        level: s.level,
        itemInSession: user.item,
        city: user.city,
        zip: user.zip,
        state: user.usState,
        userAgent: user.userAgent,
        lon: user.lon,
        lat: user.lat,
      };
      if (s.show) addUserDetails(listen, user);
      this.pending.push({ topic: EventsimTopic.listen, ts, value: listen });
    }

    if (s.statusChange) {
      const change: Record<string, unknown> = {
        ts,
        sessionId: user.sessionId,
        auth: s.auth,
        level: s.level,
        itemInSession: user.item,
        city: user.city,
        zip: user.zip,
        state: user.usState,
        userAgent: user.userAgent,
        lon: user.lon,
        lat: user.lat,
      };
      if (s.show) addUserDetails(change, user);
      this.pending.push({ topic: EventsimTopic.statusChange, ts, value: change });
    }

    if (user.prevPage === 'Login') {
      const auth: Record<string, unknown> = {
        ts,
        sessionId: user.sessionId,
        level: s.level,
        itemInSession: user.item,
        city: user.city,
        zip: user.zip,
        state: user.usState,
        userAgent: user.userAgent,
        lon: user.lon,
        lat: user.lat,
      };
      if (s.show) addUserDetails(auth, user);
      auth['success'] = s.auth === 'Logged In';
      this.pending.push({ topic: EventsimTopic.auth, ts, value: auth });
    }
  }
}

function addUserDetails(value: Record<string, unknown>, user: SimUser): void {
  value['userId'] = user.id;
  value['lastName'] = user.lastName;
  value['firstName'] = user.firstName;
  value['gender'] = user.gender;
  value['registration'] = user.registration;
}

/**
 * An endless, deterministic stream of Eventsim records in nondecreasing `ts` order
 * (simulated time, starting at `startTimeMs`); one simulated event gives its
 * page_view_events record first, then its listen / status_change / auth record if any.
 * It only ends if every user has churned and `growthPerDay` is 0.
 */
export function createMusicSimulator(opts: MusicSimulatorOptions): Iterator<EventsimRecord> & Iterable<EventsimRecord> {
  return new MusicSimulator(opts);
}
