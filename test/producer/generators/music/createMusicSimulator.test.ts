import { createMusicSimulator, EventsimTopic, type EventsimRecord, type MusicSimulatorOptions } from '../../../../producer/src/generators/music';
import { ALL_TOPICS, expectedKeys, readEventsimFixture, valueProblems } from './eventsimExpectations';
import { summarizeMusicEvents } from './summarizeMusicEvents';

const DAY = 86_400_000;
const START = Date.UTC(2024, 0, 4); // a Thursday, 00:00 UTC

function take(opts: MusicSimulatorOptions, count: number): EventsimRecord[] {
  const out: EventsimRecord[] = [];
  for (const record of createMusicSimulator(opts)) {
    out.push(record);
    if (out.length >= count) break;
  }
  return out;
}

function simulateDays(opts: MusicSimulatorOptions, days: number): EventsimRecord[] {
  const end = opts.startTimeMs + days * DAY;
  const out: EventsimRecord[] = [];
  for (const record of createMusicSimulator(opts)) {
    if (record.ts >= end) break;
    out.push(record);
  }
  return out;
}

type Value = Record<string, unknown>;

/** Per-record checks collect what is wrong (first few) and assert once: jest's expect is slow per call. */
function violations<T>(items: Iterable<T>, problem: (item: T) => string | undefined): string[] {
  const out: string[] = [];
  for (const item of items) {
    const p = problem(item);
    if (p !== undefined && out.push(p) >= 5) break;
  }
  return out;
}

describe('createMusicSimulator', () => {
  // Two simulated weeks of 200 users (plus newcomers): ~75k records, generated once.
  let records: EventsimRecord[];
  let pageViews: Value[];
  let sessions: Map<unknown, Value[]>;

  beforeAll(() => {
    records = simulateDays({ seed: 20240104, startTimeMs: START, initialUsers: 200 }, 14);
    pageViews = records.filter((r) => r.topic === EventsimTopic.pageView).map((r) => r.value);
    sessions = new Map();
    for (const v of pageViews) {
      const list = sessions.get(v['sessionId']) ?? [];
      list.push(v);
      sessions.set(v['sessionId'], list);
    }
  });

  function pageViewsOf(page: string): Value[] {
    return pageViews.filter((v) => v['page'] === page);
  }

  function previousInSession(v: Value): Value | undefined {
    return sessions.get(v['sessionId'])?.[(v['itemInSession'] as number) - 1];
  }

  function nextInSession(v: Value): Value | undefined {
    return sessions.get(v['sessionId'])?.[(v['itemInSession'] as number) + 1];
  }

  it('gives the same records for the same seed', () => {
    const opts = { seed: 7, startTimeMs: START, initialUsers: 50 };
    expect(take(opts, 5000)).toEqual(take(opts, 5000));
  });

  it('gives different records for a different seed', () => {
    const a = take({ seed: 7, startTimeMs: START, initialUsers: 50 }, 200);
    const b = take({ seed: 8, startTimeMs: START, initialUsers: 50 }, 200);
    expect(a).not.toEqual(b);
  });

  it('keeps ts nondecreasing, never before startTimeMs, and equal to the value ts', () => {
    let previous = START;
    const bad = violations(records, (r) => {
      const wrong = r.ts < previous || r.value['ts'] !== r.ts;
      previous = r.ts;
      return wrong ? JSON.stringify(r) : undefined;
    });
    expect(bad).toEqual([]);
  });

  it('emits every topic', () => {
    const topics = new Set(records.map((r) => r.topic));
    expect([...topics].sort()).toEqual([...ALL_TOPICS].sort());
  });

  it('gives every record exactly the fields of its topic, with Eventsim types', () => {
    const bad = violations(records, (r) => {
      const keys = Object.keys(r.value).sort().join(',');
      if (keys !== expectedKeys(r.topic, r.value).join(',')) return `${r.topic} keys ${keys}`;
      return valueProblems(r.topic, r.value)[0];
    });
    expect(bad).toEqual([]);
  });

  it('leaves guests and logged-out visitors without any user field', () => {
    const anonymous = pageViews.filter((v) => v['auth'] === 'Guest' || v['auth'] === 'Logged Out');
    expect(anonymous.some((v) => v['auth'] === 'Guest')).toBe(true);
    expect(anonymous.some((v) => v['auth'] === 'Logged Out')).toBe(true);
    const userKeys = ['userId', 'firstName', 'lastName', 'gender', 'registration'];
    expect(violations(anonymous, (v) => (userKeys.some((k) => k in v) ? JSON.stringify(v) : undefined))).toEqual([]);
  });

  it('uses the same field sets as the recorded Eventsim sample', () => {
    const keySets = (rs: EventsimRecord[], topic: string): Set<string> =>
      new Set(rs.filter((r) => r.topic === topic).map((r) => Object.keys(r.value).sort().join(',')));
    for (const topic of ALL_TOPICS) {
      const simulated = keySets(records, topic);
      for (const keys of keySets(readEventsimFixture(topic), topic)) expect(simulated).toContain(keys);
    }
  });

  it('puts each page view first, followed by the other records of the same event', () => {
    let lastPageView: Value | undefined;
    const bad = violations(records, (r) => {
      if (r.topic === EventsimTopic.pageView) {
        lastPageView = r.value;
        return undefined;
      }
      const same = ['sessionId', 'itemInSession', 'ts'].every((k) => lastPageView?.[k] === r.value[k]);
      return same ? undefined : `${r.topic} ${JSON.stringify(r.value)} after ${JSON.stringify(lastPageView)}`;
    });
    expect(bad).toEqual([]);
  });

  it('numbers itemInSession 0, 1, 2, ... within each session, for one user at one place', () => {
    const bad = violations(sessions.values(), (events) => {
      if (!events.every((v, i) => v['itemInSession'] === i)) return `items ${events.map((v) => v['itemInSession']).join(',')}`;
      if (new Set(events.map((v) => v['userAgent'])).size !== 1) return 'several user agents';
      const places = new Set(events.map((v) => `${String(v['zip'])} ${String(v['lat'])} ${String(v['lon'])}`));
      if (places.size !== 1) return 'several places';
      if (new Set(events.filter((v) => 'userId' in v).map((v) => v['userId'])).size > 1) return 'several users';
      return undefined;
    });
    expect(bad).toEqual([]);
  });

  it('sends a listen_events record, with the same song, for every NextSong page view', () => {
    const listens = records.filter((r) => r.topic === EventsimTopic.listen).map((r) => r.value);
    const songs = pageViewsOf('NextSong');
    expect(listens).toHaveLength(songs.length);
    const keys = ['artist', 'song', 'duration', 'ts', 'sessionId', 'auth', 'level', 'itemInSession', 'userId'];
    const bad = violations(listens.keys(), (i) => {
      const listen = listens[i] as Value;
      const pv = songs[i] as Value;
      return keys.every((k) => listen[k] === pv[k]) ? undefined : `${JSON.stringify(listen)} vs ${JSON.stringify(pv)}`;
    });
    expect(bad).toEqual([]);
  });

  it('waits at least the previous song duration between NextSong events of a session', () => {
    let checked = 0;
    const bad: string[] = [];
    for (const events of sessions.values()) {
      let previousSong: Value | undefined;
      for (const v of events) {
        if (v['page'] !== 'NextSong') continue;
        if (previousSong !== undefined) {
          const gap = (v['ts'] as number) - (previousSong['ts'] as number);
          if (gap < (previousSong['duration'] as number) * 1000) {
            bad.push(`${JSON.stringify(previousSong)} -> ${JSON.stringify(v)}`);
          }
          checked++;
        }
        previousSong = v;
      }
    }
    expect(bad.slice(0, 5)).toEqual([]);
    expect(checked).toBeGreaterThan(1000);
  });

  it('follows a redirect page after one second', () => {
    const redirects = pageViews.filter((v) => v['status'] === 307 && nextInSession(v) !== undefined);
    expect(redirects.length).toBeGreaterThan(100);
    const bad = violations(redirects, (v) =>
      (nextInSession(v) as Value)['ts'] === (v['ts'] as number) + 1000 ? undefined : JSON.stringify(v),
    );
    expect(bad).toEqual([]);
  });

  it('flips the level on the page after Submit Upgrade and Submit Downgrade, so status_change_events carry the old level (as Eventsim)', () => {
    const changes = records.filter((r) => r.topic === EventsimTopic.statusChange).map((r) => r.value);
    const upgrades = pageViewsOf('Submit Upgrade');
    const downgrades = pageViewsOf('Submit Downgrade');
    expect(upgrades.length).toBeGreaterThan(0);
    expect(downgrades.length).toBeGreaterThan(0);
    expect(changes).toHaveLength(upgrades.length + downgrades.length);
    for (const [submits, from, to] of [
      [upgrades, 'free', 'paid'],
      [downgrades, 'paid', 'free'],
    ] as const) {
      for (const v of submits) {
        expect(previousInSession(v)?.['level']).toBe(from);
        expect(v['level']).toBe(from);
        const next = nextInSession(v);
        if (next !== undefined) expect(next['level']).toBe(to);
        const change = changes.find((c) => c['sessionId'] === v['sessionId'] && c['itemInSession'] === v['itemInSession']);
        expect(change?.['level']).toBe(from);
        expect(change?.['auth']).toBe('Logged In');
        expect(change?.['userId']).toBe(v['userId']);
      }
    }
  });

  it('sends an auth_events record after every Login, successful exactly when the user became Logged In', () => {
    const auths = records.filter((r) => r.topic === EventsimTopic.auth).map((r) => r.value);
    const answered = pageViewsOf('Login')
      .map(nextInSession)
      .filter((v): v is Value => v !== undefined);
    expect(auths).toHaveLength(answered.length);
    for (const after of answered) {
      const auth = auths.find((a) => a['sessionId'] === after['sessionId'] && a['itemInSession'] === after['itemInSession']);
      expect(auth?.['success']).toBe(after['auth'] === 'Logged In');
      expect(auth?.['level']).toBe(after['level']);
    }
    expect(auths.some((a) => a['success'] === true)).toBe(true);
    expect(auths.some((a) => a['success'] === false)).toBe(true);
  });

  it('logs users in and out: Login leads to Logged In or stays Logged Out, Logout leads to Logged Out', () => {
    for (const v of pageViewsOf('Login')) expect(v['auth']).toBe('Logged Out');
    for (const v of pageViewsOf('Logout')) {
      expect(v['auth']).toBe('Logged In');
      const next = nextInSession(v);
      if (next !== undefined) expect(next['auth']).toBe('Logged Out');
    }
  });

  it('registers guests: Submit Registration shows a new userId registered at that moment', () => {
    const registrations = pageViewsOf('Submit Registration');
    expect(registrations.length).toBeGreaterThan(0);
    for (const v of registrations) {
      expect(previousInSession(v)?.['auth']).toBe('Guest');
      expect(v['auth']).toBe('Logged In');
      expect(v['registration']).toBe(v['ts']);
      const earlier = pageViews.find((p) => p['userId'] === v['userId'] && (p['ts'] as number) < (v['ts'] as number));
      expect(earlier).toBeUndefined();
    }
  });

  it('never hears from a user again after Cancellation Confirmation', () => {
    const confirmations = pageViewsOf('Cancellation Confirmation');
    expect(confirmations.length).toBeGreaterThan(0);
    const lastTsByUser = new Map<unknown, number>();
    const lastItemBySession = new Map<unknown, number>();
    for (const r of records) {
      if ('userId' in r.value) lastTsByUser.set(r.value['userId'], r.ts);
      lastItemBySession.set(r.value['sessionId'], r.value['itemInSession'] as number);
    }
    for (const v of confirmations) {
      expect(v['auth']).toBe('Cancelled');
      expect(previousInSession(v)?.['page']).toBe('Cancel');
      expect(lastItemBySession.get(v['sessionId'])).toBe(v['itemInSession']);
      expect(lastTsByUser.get(v['userId'])).toBe(v['ts']);
    }
  });

  it('brings in new users over time, as guests', () => {
    const newcomers = simulateDays({ seed: 3, startTimeMs: START, initialUsers: 0, growthPerDay: 200 }, 1);
    const registered = new Set<unknown>();
    const starts: Value[] = [];
    for (const r of newcomers) {
      if (r.topic !== EventsimTopic.pageView) continue;
      if (r.value['page'] === 'Submit Registration') registered.add(r.value['userId']);
      if (r.value['itemInSession'] === 0) starts.push(r.value);
    }
    const guestStarts = starts.filter((v) => v['auth'] === 'Guest').length;
    // ~200 arrivals a day (a bit more on weekdays), each starting as a guest, plus
    // guests who come back without having registered.
    expect(guestStarts).toBeGreaterThan(150);
    expect(guestStarts).toBeLessThan(400);
    expect(starts[0]?.['auth']).toBe('Guest');
    // Any other session start is a returning user who registered (or logged out) earlier.
    const unexplained = starts.filter(
      (v) => v['auth'] !== 'Guest' && v['auth'] !== 'Logged Out' && !registered.has(v['userId']),
    );
    expect(unexplained).toEqual([]);
  });

  it('ends only when nobody is left and nobody new arrives', () => {
    const sim = createMusicSimulator({ seed: 1, startTimeMs: START, initialUsers: 0, growthPerDay: 0 });
    expect(sim.next().done).toBe(true);
    const iterable = createMusicSimulator({ seed: 1, startTimeMs: START, initialUsers: 1 });
    expect(iterable[Symbol.iterator]()).toBe(iterable);
  });

  it('rejects options that are not finite or out of range', () => {
    expect(() => createMusicSimulator({ seed: Number.NaN, startTimeMs: START })).toThrow(RangeError);
    expect(() => createMusicSimulator({ seed: 1, startTimeMs: Number.POSITIVE_INFINITY })).toThrow(RangeError);
    expect(() => createMusicSimulator({ seed: 1, startTimeMs: START, initialUsers: -1 })).toThrow(/initialUsers/);
    expect(() => createMusicSimulator({ seed: 1, startTimeMs: START, growthPerDay: -2 })).toThrow(/growthPerDay/);
    expect(() => createMusicSimulator({ seed: 1, startTimeMs: START, catalogueSize: 0 })).toThrow(/catalogueSize/);
  });

  it('looks like Eventsim over two weeks of 200 users', () => {
    const s = summarizeMusicEvents(records);
    // Printed so a run shows the numbers the bounds are checked against.
    console.log(
      JSON.stringify({ ...s, hourlyProfile: s.hourlyProfile.map((x) => Number(x.toFixed(4))), pageCounts: s.pageCounts }),
    );
    const h = s.hourlyProfile;
    const share = (from: number, to: number): number => h.slice(from, to).reduce((a, b) => a + b, 0) / (to - from);

    expect(s.nextSongShare).toBeGreaterThan(0.6);
    expect(s.nextSongShare).toBeLessThan(0.9);
    expect(s.paidShare).toBeGreaterThan(0.1);
    expect(s.paidShare).toBeLessThan(0.5);
    expect(s.eventsPerSession.mean).toBeGreaterThan(5);
    expect(s.eventsPerSession.mean).toBeLessThan(60);
    expect(s.sessionsPerUserPerDay).toBeGreaterThan(0.2);
    expect(s.sessionsPerUserPerDay).toBeLessThan(3);
    expect(share(2, 5)).toBeLessThan(share(18, 22)); // per-hour share, UTC
    expect(s.weekendToWeekdayRate).toBeGreaterThan(0.5);
    expect(s.weekendToWeekdayRate).toBeLessThan(0.9);
    expect(s.authSuccessRate).toBeGreaterThan(0.8);
    expect(s.authSuccessRate).toBeLessThanOrEqual(1);
    expect(s.guestShare).toBeGreaterThan(0);
    expect(s.guestShare).toBeLessThan(0.05);
    expect(s.users).toBeGreaterThan(200);

    // Paid users listen more: a larger share of their events are songs.
    const paid = pageViews.filter((v) => v['level'] === 'paid');
    const free = pageViews.filter((v) => v['level'] === 'free');
    const songShare = (vs: Value[]): number => vs.filter((v) => v['page'] === 'NextSong').length / vs.length;
    expect(songShare(paid)).toBeGreaterThan(songShare(free));
  });
});
