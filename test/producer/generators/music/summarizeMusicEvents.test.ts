import { EventsimTopic, type EventsimRecord } from '../../../../producer/src/generators/music';
import { summarizeMusicEvents } from './summarizeMusicEvents';
import { ALL_TOPICS, expectedKeys, readEventsimFixture, valueProblems } from './eventsimExpectations';

const MONDAY = Date.UTC(2024, 0, 1); // a Monday, 00:00 UTC
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function pageView(ts: number, sessionId: number, page: string, extra: Record<string, unknown> = {}): EventsimRecord {
  return { topic: EventsimTopic.pageView, ts, value: { ts, sessionId, page, level: 'free', auth: 'Logged In', ...extra } };
}

describe('summarizeMusicEvents', () => {
  it('counts events, sessions, users and shares from the page views', () => {
    const records: EventsimRecord[] = [
      pageView(MONDAY + 1 * HOUR, 1, 'Home', { userId: 10 }),
      pageView(MONDAY + 1 * HOUR + 60_000, 1, 'NextSong', { userId: 10, level: 'paid' }),
      { topic: EventsimTopic.listen, ts: MONDAY + 1 * HOUR + 60_000, value: { sessionId: 1 } },
      pageView(MONDAY + 2 * HOUR, 2, 'Home', { auth: 'Guest' }),
      pageView(MONDAY + 3 * HOUR, 3, 'NextSong', { userId: 11 }),
      pageView(MONDAY + 3 * HOUR + 1000, 3, 'NextSong', { userId: 11 }),
      pageView(MONDAY + 3 * HOUR + 2000, 3, 'NextSong', { userId: 11 }),
    ];
    const s = summarizeMusicEvents(records);
    expect(s.records).toBe(7);
    expect(s.recordsByTopic).toEqual({ listen_events: 1, page_view_events: 6, auth_events: 0, status_change_events: 0 });
    expect(s.events).toBe(6);
    expect(s.sessions).toBe(3);
    expect(s.users).toBe(2);
    expect(s.sessionsPerUser).toBe(1);
    expect(s.eventsPerSession).toEqual({ mean: 2, median: 2 });
    expect(s.nextSongShare).toBeCloseTo(4 / 6);
    expect(s.paidShare).toBeCloseTo(1 / 6);
    expect(s.guestShare).toBeCloseTo(1 / 6);
    expect(s.pageCounts).toEqual({ Home: 2, NextSong: 4 });
    expect(s.authSuccessRate).toBeNull();
  });

  it('profiles the hours of the day in UTC', () => {
    const s = summarizeMusicEvents([
      pageView(MONDAY + 3 * HOUR, 1, 'Home'),
      pageView(MONDAY + 3 * HOUR + 5, 1, 'Home'),
      pageView(MONDAY + 23 * HOUR, 1, 'Home'),
    ]);
    expect(s.hourlyProfile).toHaveLength(24);
    expect(s.hourlyProfile[3]).toBeCloseTo(2 / 3);
    expect(s.hourlyProfile[23]).toBeCloseTo(1 / 3);
    expect(s.hourlyProfile.reduce((a, b) => a + b, 0)).toBeCloseTo(1);
  });

  it('compares the weekend event rate with the weekday rate per unit of time covered', () => {
    // One event every hour for a full week: same rate every day, so the ratio is ~1.
    const even: EventsimRecord[] = [];
    for (let t = MONDAY; t <= MONDAY + 7 * DAY; t += HOUR) even.push(pageView(t, 1, 'Home'));
    expect(summarizeMusicEvents(even).weekendToWeekdayRate).toBeCloseTo(1, 1);
    // Half as many on Saturday and Sunday.
    const thin = even.filter((r) => {
      const dow = new Date(r.ts).getUTCDay();
      return !((dow === 0 || dow === 6) && new Date(r.ts).getUTCHours() % 2 === 1);
    });
    expect(summarizeMusicEvents(thin).weekendToWeekdayRate).toBeCloseTo(0.5, 1);
    expect(summarizeMusicEvents([pageView(MONDAY, 1, 'Home')]).weekendToWeekdayRate).toBeNull();
  });

  it('measures the login success rate from auth_events', () => {
    const auth = (success: boolean): EventsimRecord => ({ topic: EventsimTopic.auth, ts: MONDAY, value: { success } });
    expect(summarizeMusicEvents([auth(true), auth(true), auth(false), auth(true)]).authSuccessRate).toBe(0.75);
  });

  it('summarizes an empty stream without throwing', () => {
    const s = summarizeMusicEvents([]);
    expect(s.events).toBe(0);
    expect(s.sessions).toBe(0);
    expect(s.weekendToWeekdayRate).toBeNull();
    expect(s.hourlyProfile).toEqual(new Array(24).fill(0));
  });

  it('reads the recorded Eventsim sample, whose records all have their topic fields', () => {
    const records = ALL_TOPICS.flatMap((topic) => readEventsimFixture(topic)).sort((a, b) => a.ts - b.ts);
    const bad = records.flatMap((r) =>
      Object.keys(r.value).sort().join(',') === expectedKeys(r.topic, r.value).join(',')
        ? valueProblems(r.topic, r.value)
        : [`${r.topic} keys ${Object.keys(r.value).join(',')}`],
    );
    expect(bad).toEqual([]);
    const s = summarizeMusicEvents(records);
    expect(s.recordsByTopic).toEqual({ listen_events: 14, page_view_events: 53, auth_events: 5, status_change_events: 3 });
    expect(s.sessions).toBe(10);
    expect(s.authSuccessRate).toBe(0.8);
    expect(s.guestShare).toBeGreaterThan(0);
    expect(s.pageCounts['NextSong']).toBe(14);
  });
});
