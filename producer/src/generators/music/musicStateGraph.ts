import { eventsimPageHttp, eventsimPages, type EventsimAuth, type EventsimLevel, type EventsimPage } from './eventsimPages';
import { eventsimNewSessionWeights, eventsimTransitions } from './eventsimTransitions';

export interface MusicState {
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
  next: MusicState[];
  /** Running total of the next states' probabilities; 1 - last = probability the session ends. */
  cumulative: Float64Array;
}

export interface StartPicker {
  states: MusicState[];
  cumulative: Float64Array;
}

const AUTHS: readonly EventsimAuth[] = ['Guest', 'Logged In', 'Logged Out', 'Cancelled'];
const LEVELS: readonly EventsimLevel[] = ['free', 'paid'];

function key(page: string, auth: EventsimAuth, level: EventsimLevel): string {
  return `${page}|${auth}|${level}`;
}

function buildStates(): { states: Map<string, MusicState>; starts: Map<string, StartPicker> } {
  const states = new Map<string, MusicState>();
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
  const get = (page: EventsimPage, auth: EventsimAuth, level: EventsimLevel): MusicState => {
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

/** The state graph, built on first use; states are shared, read-only, by every simulator. */
export function musicStateGraph(): ReturnType<typeof buildStates> {
  graph ??= buildStates();
  return graph;
}
