import { EventsimTopic, type EventsimRecord, type EventsimTopicName } from '../../../../producer/src/generators/music';
import type { MusicSummary } from './MusicSummary';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

function isWeekendDay(day: number): boolean {
  const dow = (((day + 4) % 7) + 7) % 7; // 0 = Sunday; 1970-01-01 was a Thursday
  return dow === 0 || dow === 6;
}

/** Computes `MusicSummary` in one pass; see there for the definitions. */
export function summarizeMusicEvents(input: Iterable<EventsimRecord>): MusicSummary {
  const recordsByTopic: Record<EventsimTopicName, number> = {
    [EventsimTopic.listen]: 0,
    [EventsimTopic.pageView]: 0,
    [EventsimTopic.auth]: 0,
    [EventsimTopic.statusChange]: 0,
  };
  let records = 0;
  let events = 0;
  let nextSongs = 0;
  let paid = 0;
  let guests = 0;
  let authEvents = 0;
  let authSuccesses = 0;
  let minTs = Infinity;
  let maxTs = -Infinity;
  let weekendEvents = 0;
  const hourly = new Float64Array(24);
  const eventsBySession = new Map<unknown, number>();
  const identifiedSessions = new Set<unknown>();
  const users = new Set<unknown>();
  const pageCounts: Record<string, number> = {};

  for (const record of input) {
    records++;
    recordsByTopic[record.topic] = (recordsByTopic[record.topic] ?? 0) + 1;
    const v = record.value;
    if (record.topic === EventsimTopic.auth) {
      authEvents++;
      if (v['success'] === true) authSuccesses++;
      continue;
    }
    if (record.topic !== EventsimTopic.pageView) continue;

    events++;
    const ts = Number(v['ts']);
    if (ts < minTs) minTs = ts;
    if (ts > maxTs) maxTs = ts;
    const day = Math.floor(ts / DAY_MS);
    const hour = Math.floor((ts - day * DAY_MS) / HOUR_MS);
    hourly[hour] = (hourly[hour] ?? 0) + 1;
    if (isWeekendDay(day)) weekendEvents++;

    const page = String(v['page']);
    pageCounts[page] = (pageCounts[page] ?? 0) + 1;
    if (page === 'NextSong') nextSongs++;
    if (v['level'] === 'paid') paid++;
    if (v['auth'] === 'Guest') guests++;

    const sessionId = v['sessionId'];
    eventsBySession.set(sessionId, (eventsBySession.get(sessionId) ?? 0) + 1);
    if (v['userId'] !== undefined) {
      users.add(v['userId']);
      identifiedSessions.add(sessionId);
    }
  }

  const perSession = [...eventsBySession.values()].sort((a, b) => a - b);
  const mid = perSession.length >> 1;
  const median =
    perSession.length === 0
      ? NaN
      : perSession.length % 2 === 1
        ? (perSession[mid] as number)
        : ((perSession[mid - 1] as number) + (perSession[mid] as number)) / 2;

  let weekendMs = 0;
  let weekdayMs = 0;
  if (events > 0) {
    for (let day = Math.floor(minTs / DAY_MS); day * DAY_MS <= maxTs; day++) {
      const overlap = Math.min(maxTs, (day + 1) * DAY_MS) - Math.max(minTs, day * DAY_MS);
      if (isWeekendDay(day)) weekendMs += overlap;
      else weekdayMs += overlap;
    }
  }
  const weekdayEvents = events - weekendEvents;
  const weekendToWeekdayRate =
    weekendMs > 0 && weekdayMs > 0 && weekdayEvents > 0 ? weekendEvents / weekendMs / (weekdayEvents / weekdayMs) : null;

  const spanDays = events > 0 ? (maxTs - minTs) / DAY_MS : 0;
  const sessionsPerUser = users.size > 0 ? identifiedSessions.size / users.size : 0;
  return {
    records,
    recordsByTopic,
    events,
    sessions: eventsBySession.size,
    users: users.size,
    spanDays,
    sessionsPerUser,
    sessionsPerUserPerDay: spanDays > 0 ? sessionsPerUser / spanDays : NaN,
    eventsPerSession: { mean: perSession.length > 0 ? events / perSession.length : NaN, median },
    nextSongShare: events > 0 ? nextSongs / events : NaN,
    paidShare: events > 0 ? paid / events : NaN,
    guestShare: events > 0 ? guests / events : NaN,
    hourlyProfile: Array.from(hourly, (n) => (events > 0 ? n / events : 0)),
    weekendToWeekdayRate,
    authSuccessRate: authEvents > 0 ? authSuccesses / authEvents : null,
    pageCounts,
  };
}
