import type { EventsimTopicName } from '../../../../producer/src/generators/music';

/**
 * Shape statistics of a stream of Eventsim records, to compare simulated traffic with
 * what Eventsim produces. Everything except `recordsByTopic` and `authSuccessRate` is
 * computed from the `page_view_events` records (one per simulated event). Hours and
 * weekdays are UTC.
 */
export interface MusicSummary {
  records: number;
  recordsByTopic: Record<EventsimTopicName, number>;
  /** page_view_events records, i.e. simulated events. */
  events: number;
  /** Distinct sessionIds. */
  sessions: number;
  /** Distinct userIds (guests and logged-out visitors have none and are not counted). */
  users: number;
  /** (last ts - first ts) in days. */
  spanDays: number;
  /** Sessions showing a userId, divided by `users`. */
  sessionsPerUser: number;
  /** `sessionsPerUser / spanDays` (NaN when the span is 0). */
  sessionsPerUserPerDay: number;
  eventsPerSession: { mean: number; median: number };
  /** Share of events whose page is NextSong. */
  nextSongShare: number;
  /** Share of events with level "paid". */
  paidShare: number;
  /** Share of events with auth "Guest". */
  guestShare: number;
  /** 24 shares of events by UTC hour of day (summing to 1). */
  hourlyProfile: number[];
  /** Events per ms of Saturday/Sunday (UTC) divided by events per ms of Monday–Friday, null without both. */
  weekendToWeekdayRate: number | null;
  /** auth_events with success true over all auth_events, null without any. */
  authSuccessRate: number | null;
  /** Events per page name. */
  pageCounts: Record<string, number>;
}
