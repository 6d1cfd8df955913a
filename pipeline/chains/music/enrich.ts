import type { EnrichMeta } from '../../core';
import type { ProcessingContext } from '../types';
import { TEXT_MOJIBAKE_REPAIRED, parseUserAgent, repairMojibake, timeFacets } from '../../enrich';
import type { TimeFacets, UserAgentInfo } from '../../enrich';
import type { MusicDialect, MusicEvent, MusicEventType } from './schema';

/** Quality codes the music chain writes (see README, music events). */
export const MusicQualityCode = {
  MOJIBAKE_REPAIRED: TEXT_MOJIBAKE_REPAIRED,
  LOCATION_UNPARSEABLE: 'location_unparseable',
} as const;

export interface MusicQuality {
  dialect: MusicDialect;
  normalized?: string[];
  defects?: string[];
}

/** Fields the document keeps from the validated record, as they are. */
type Kept = 'ts' | 'sessionId' | 'itemInSession' | 'level' | 'page' | 'method' | 'status' | 'success' | 'userId' | 'firstName' | 'lastName' | 'gender' | 'registration' | 'artist' | 'song' | 'duration' | 'city' | 'state' | 'zip';

/**
 * One indexed music event. Eventsim's own fields keep their names and casing (userId,
 * sessionId, itemInSession...), so queries read like the source; added fields are
 * snake_case like the other chains'. `ts` is the original epoch milliseconds, kept beside
 * the ISO time; `duration` the song length in seconds as Eventsim gives it (`length` in
 * the original dialect); `city`/`state`/`zip` the fork's, or the original's "City-Metro,
 * ST" read into city and state.
 */
export interface MusicDocument extends TimeFacets, Pick<MusicEvent, Kept> {
  event_id: string;
  event_type: MusicEventType;
  event_time: string;
  ingested_at: string;
  auth?: string;
  /** No user identity on the record: a guest or a logged-out visitor. */
  is_guest: boolean;
  /** The text as received, only when `artist`/`song` were repaired. */
  original?: { artist?: string; song?: string };
  duration_ms?: number;
  /**
   * On status_change events: Eventsim reports the level before the change, so "free"
   * means an upgrade and "paid" a downgrade.
   */
  level_change?: 'upgrade' | 'downgrade';
  location?: { lat: number; lon: number };
  /** Absent when the original dialect shows no user agent (guests). */
  user_agent?: UserAgentInfo;
  quality: MusicQuality;
  source: EnrichMeta['source'];
}

const COPIED = ['userId', 'firstName', 'lastName', 'gender', 'registration', 'city', 'state', 'zip'] as const;

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
    ...timeFacets(meta.eventTimeMs),
    quality: { dialect: raw.dialect },
    source: meta.source,
  };
  for (const k of COPIED) if (raw[k] !== undefined) (doc as unknown as Record<string, unknown>)[k] = raw[k];
  if (raw.lat !== undefined && raw.lon !== undefined) doc.location = { lat: raw.lat, lon: raw.lon };
  if (raw.location !== undefined) setPlace(doc, raw.location);
  if (raw.userAgent !== undefined) doc.user_agent = parseUserAgent(raw.userAgent);

  switch (raw.event_type) {
    case 'listen':
    case 'page_view':
      doc.auth = raw.auth;
      if (raw.page !== undefined) {
        doc.page = raw.page;
        doc.method = raw.method;
        doc.status = raw.status;
      }
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

/** "Boston-Cambridge-Newton, MA-NH": the metro area is the city, what follows the last comma the state(s). */
function setPlace(doc: MusicDocument, location: string): void {
  const comma = location.lastIndexOf(', ');
  const state = comma > 0 ? location.slice(comma + 2).trim() : '';
  if (!/^[A-Z]{2}(-[A-Z]{2})*$/.test(state)) {
    doc.city = location;
    flag(doc, 'defects', MusicQualityCode.LOCATION_UNPARSEABLE);
    return;
  }
  doc.city = location.slice(0, comma).trim();
  doc.state = state;
}

function setSong(doc: MusicDocument, raw: MusicEvent): void {
  for (const field of ['artist', 'song'] as const) {
    const value = raw[field];
    if (value === undefined) continue;
    const repaired = repairMojibake(value);
    doc[field] = repaired ?? value;
    if (repaired === undefined) continue;
    doc.original = { ...doc.original, [field]: value };
    flag(doc, 'normalized', MusicQualityCode.MOJIBAKE_REPAIRED);
  }
  if (raw.duration !== undefined) {
    doc.duration = raw.duration;
    doc.duration_ms = Math.round(raw.duration * 1000);
  }
}

function flag(doc: MusicDocument, list: 'normalized' | 'defects', code: string): void {
  const codes = (doc.quality[list] ??= []);
  if (!codes.includes(code)) codes.push(code);
}
