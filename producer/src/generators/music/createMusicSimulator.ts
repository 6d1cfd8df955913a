import type { EventsimRecord } from './EventsimRecord';
import { MusicSimulator } from './MusicSimulator';
import type { MusicSimulatorOptions } from './MusicSimulatorOptions';

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

/**
 * An endless, deterministic stream of Eventsim records in nondecreasing `ts` order
 * (simulated time, starting at `startTimeMs`); one simulated event gives its
 * page_view_events record first, then its listen / status_change / auth record if any.
 * It only ends if every user has churned and `growthPerDay` is 0.
 */
export function createMusicSimulator(opts: MusicSimulatorOptions): Iterator<EventsimRecord> & Iterable<EventsimRecord> {
  return new MusicSimulator(opts);
}
