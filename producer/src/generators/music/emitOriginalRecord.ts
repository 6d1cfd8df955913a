import type { SongCatalogue } from './createSongCatalogue';
import type { EventsimRecord } from './EventsimRecord';
import { EventsimTopic } from './EventsimTopic';
import { pageFields } from './emitMusicRecords';
import type { SimUser } from './SimUser';

/**
 * Appends the user's current event as the original Eventsim writes it: one record per
 * event, in its one stream (sent to page_view_events, the fork's every-event topic), fields
 * in its write order: `userId` as text ("" when the user is not shown), the user's fields
 * only when shown, `location` as "City, ST", and `length` on NextSong.
 */
export function emitOriginalRecord(user: SimUser, catalogue: SongCatalogue, out: EventsimRecord[]): void {
  const s = user.state;
  const value: Record<string, unknown> = {
    ts: user.ts,
    userId: s.show ? String(user.id) : '',
    sessionId: user.sessionId,
    ...pageFields(user),
    itemInSession: user.item,
  };
  if (s.show) {
    value['location'] = `${user.city}, ${user.usState}`;
    value['userAgent'] = user.userAgent;
    value['lastName'] = user.lastName;
    value['firstName'] = user.firstName;
    value['registration'] = user.registration;
    value['gender'] = user.gender;
  }
  if (s.song) {
    value['artist'] = catalogue.artist[user.song];
    value['song'] = catalogue.title[user.song];
    value['length'] = catalogue.duration[user.song];
  }
  out.push({ topic: EventsimTopic.pageView, ts: user.ts, value });
}
