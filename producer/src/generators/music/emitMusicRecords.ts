import type { SongCatalogue } from './createSongCatalogue';
import type { EventsimRecord } from './EventsimRecord';
import { EventsimTopic } from './EventsimTopic';
import type { SimUser } from './SimUser';

/**
 * Appends to `out` the records of the user's current event: its page_view_events record,
 * then its listen / status_change / auth record if any. Fields are set in Eventsim's
 * write order, which differs per topic only before `itemInSession`.
 */
export function emitMusicRecords(user: SimUser, catalogue: SongCatalogue, out: EventsimRecord[]): void {
  const s = user.state;
  const c = catalogue;
  const ts = user.ts;

  const pageView: Record<string, unknown> = { ts, sessionId: user.sessionId, ...pageFields(user) };
  addUserFields(pageView, user);
  if (s.song) {
    pageView['artist'] = c.artist[user.song];
    pageView['song'] = c.title[user.song];
    pageView['duration'] = c.duration[user.song];
  }
  out.push({ topic: EventsimTopic.pageView, ts, value: pageView });

  if (s.song) {
    const listen: Record<string, unknown> = {
      artist: c.artist[user.song],
      song: c.title[user.song],
      duration: c.duration[user.song],
      ts,
      sessionId: user.sessionId,
      auth: s.auth,
      level: s.level,
    };
    addUserFields(listen, user);
    out.push({ topic: EventsimTopic.listen, ts, value: listen });
  }

  if (s.statusChange) {
    const change: Record<string, unknown> = { ts, sessionId: user.sessionId, auth: s.auth, level: s.level };
    addUserFields(change, user);
    out.push({ topic: EventsimTopic.statusChange, ts, value: change });
  }

  if (user.prevPage === 'Login') {
    const auth: Record<string, unknown> = { ts, sessionId: user.sessionId, level: s.level };
    addUserFields(auth, user);
    auth['success'] = s.auth === 'Logged In';
    out.push({ topic: EventsimTopic.auth, ts, value: auth });
  }
}

/** The page a page event shows, in both dialects' write order. */
export function pageFields({ state: s }: SimUser): Record<string, unknown> {
  return { page: s.page, auth: s.auth, method: s.method, status: s.status, level: s.level };
}

/** The fields every topic ends its record with: the session item, the place, and who (when shown). */
function addUserFields(value: Record<string, unknown>, user: SimUser): void {
  value['itemInSession'] = user.item;
  value['city'] = user.city;
  value['zip'] = user.zip;
  value['state'] = user.usState;
  value['userAgent'] = user.userAgent;
  value['lon'] = user.lon;
  value['lat'] = user.lat;
  if (!user.state.show) return;
  value['userId'] = user.id;
  value['lastName'] = user.lastName;
  value['firstName'] = user.firstName;
  value['gender'] = user.gender;
  value['registration'] = user.registration;
}
