import type { EnrichMeta } from '../../core';
import type { ProcessingContext } from '../types';
import { parseUserAgent, timeFacets } from '../../enrich';
import type { TimeFacets, UserAgentInfo } from '../../enrich';
import type { MusicEvent, MusicEventType } from './schema';

/**
 * One indexed music event. Eventsim's own fields keep their names and casing (userId,
 * sessionId, itemInSession...), so queries read like the source; added fields are
 * snake_case like the other chains'.
 */
export interface MusicDocument extends TimeFacets {
  event_id: string;
  event_type: MusicEventType;
  /** The original epoch milliseconds, kept beside the ISO time. */
  ts: number;
  event_time: string;
  ingested_at: string;
  sessionId: number;
  itemInSession: number;
  level: 'free' | 'paid';
  auth?: string;
  page?: string;
  method?: string;
  status?: number;
  success?: boolean;
  userId?: number;
  firstName?: string;
  lastName?: string;
  gender?: string;
  registration?: number;
  /** No user identity on the record: a guest or a logged-out visitor. */
  is_guest: boolean;
  artist?: string;
  song?: string;
  /** Song length in seconds, as Eventsim gives it, and in whole milliseconds. */
  duration?: number;
  duration_ms?: number;
  /**
   * On status_change events: Eventsim reports the level before the change, so "free"
   * means an upgrade and "paid" a downgrade.
   */
  level_change?: 'upgrade' | 'downgrade';
  city: string;
  state: string;
  zip: string;
  location: { lat: number; lon: number };
  user_agent: UserAgentInfo;
  source: EnrichMeta['source'];
}

export function enrichMusic(raw: MusicEvent, meta: EnrichMeta, ctx: ProcessingContext): MusicDocument {
  const doc: MusicDocument = {
    event_id: meta.eventId,
    event_type: raw.event_type,
    ts: raw.ts,
    event_time: new Date(meta.eventTimeMs).toISOString(),
    ingested_at: new Date(ctx.nowMs).toISOString(),
    sessionId: raw.sessionId,
    itemInSession: raw.itemInSession,
    level: raw.level,
    is_guest: raw.userId === undefined,
    city: raw.city,
    state: raw.state,
    zip: raw.zip,
    location: { lat: raw.lat, lon: raw.lon },
    user_agent: parseUserAgent(raw.userAgent),
    ...timeFacets(meta.eventTimeMs),
    source: meta.source,
  };
  if (raw.userId !== undefined) doc.userId = raw.userId;
  if (raw.firstName !== undefined) doc.firstName = raw.firstName;
  if (raw.lastName !== undefined) doc.lastName = raw.lastName;
  if (raw.gender !== undefined) doc.gender = raw.gender;
  if (raw.registration !== undefined) doc.registration = raw.registration;

  switch (raw.event_type) {
    case 'listen':
      doc.auth = raw.auth;
      setSong(doc, raw);
      break;
    case 'page_view':
      doc.auth = raw.auth;
      doc.page = raw.page;
      doc.method = raw.method;
      doc.status = raw.status;
      setSong(doc, raw);
      break;
    case 'auth':
      doc.success = raw.success;
      break;
    case 'status_change':
      doc.auth = raw.auth;
      doc.level_change = raw.level === 'free' ? 'upgrade' : 'downgrade';
      break;
  }
  return doc;
}

function setSong(doc: MusicDocument, raw: { artist?: string | undefined; song?: string | undefined; duration?: number | undefined }): void {
  if (raw.artist !== undefined) doc.artist = raw.artist;
  if (raw.song !== undefined) doc.song = raw.song;
  if (raw.duration !== undefined) {
    doc.duration = raw.duration;
    doc.duration_ms = Math.round(raw.duration * 1000);
  }
}
