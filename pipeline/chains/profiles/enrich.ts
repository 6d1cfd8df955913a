import type { EnrichMeta } from '../../core';
import { qualityOf, type Quality } from '../fieldDefects';
import type { ProcessingContext } from '../types';
import { ageBracket, type AgeBracket } from './ageBracket';
import type { Profile } from './schema';

/**
 * A processed profile. Built field by field from the validated profile, never spread from
 * the input, so nothing the schema does not name (the credentials above all) can get in.
 */
export interface ProfileDocument {
  event_id: string;
  /** `login.uuid`: the same id logins carry as `user_id`. */
  user_id: string;
  username?: string;
  gender: string;
  name: { title: string; first: string; last: string };
  email: string;
  phone?: string;
  cell?: string;
  nationality: string;
  location: {
    country: string;
    state?: string;
    city?: string;
    street?: { number: number; name: string };
    postcode?: string;
    coordinates?: { lat: number; lon: number };
    timezone?: { offset: string; description: string };
  };
  dob: { date: string; age: number };
  age_bracket: AgeBracket;
  registered: { date: string; age: number; year: number };
  national_id?: { name: string; value?: string };
  picture?: { large: string; medium: string; thumbnail: string };
  /** When the profile was fetched (the record's Kafka time). */
  event_time: string;
  ingested_at: string;
  quality: Quality;
  source: EnrichMeta['source'];
}

export const PROFILES_DIALECT = 'randomuser';

export function enrichProfile(raw: Profile, meta: EnrichMeta, ctx: ProcessingContext): ProfileDocument {
  const loc = raw.location;
  const doc: ProfileDocument = {
    event_id: meta.eventId,
    user_id: raw.login.uuid,
    gender: raw.gender,
    name: { title: raw.name.title, first: raw.name.first, last: raw.name.last },
    email: raw.email,
    nationality: raw.nat,
    location: { country: loc.country },
    dob: { date: new Date(raw.dob.date).toISOString(), age: raw.dob.age },
    age_bracket: ageBracket(raw.dob.age),
    registered: { date: new Date(raw.registered.date).toISOString(), age: raw.registered.age, year: new Date(raw.registered.date).getUTCFullYear() },
    event_time: new Date(meta.eventTimeMs).toISOString(),
    ingested_at: new Date(ctx.nowMs).toISOString(),
    quality: qualityOf(PROFILES_DIALECT, []),
    source: meta.source,
  };
  if (raw.login.username.value !== undefined) doc.username = raw.login.username.value;
  if (raw.phone.value !== undefined) doc.phone = raw.phone.value;
  if (raw.cell.value !== undefined) doc.cell = raw.cell.value;
  if (loc.state.value !== undefined) doc.location.state = loc.state.value;
  if (loc.city.value !== undefined) doc.location.city = loc.city.value;
  if (loc.street.value !== undefined) doc.location.street = { number: loc.street.value.number, name: loc.street.value.name };
  if (loc.postcode.value !== undefined) doc.location.postcode = loc.postcode.value;
  if (loc.coordinates.value !== undefined) doc.location.coordinates = { lat: Number(loc.coordinates.value.latitude), lon: Number(loc.coordinates.value.longitude) };
  if (loc.timezone.value !== undefined) doc.location.timezone = { offset: loc.timezone.value.offset, description: loc.timezone.value.description };
  const id = raw.id.value;
  if (id !== undefined && id.name !== '') doc.national_id = id.value === null ? { name: id.name } : { name: id.name, value: id.value };
  const pic = raw.picture.value;
  if (pic !== undefined) doc.picture = { large: pic.large, medium: pic.medium, thumbnail: pic.thumbnail };
  const defects = [raw.login.username, raw.phone, raw.cell, loc.street, loc.city, loc.state, loc.postcode, loc.coordinates, loc.timezone, raw.id, raw.picture].map((k) => k.defect);
  doc.quality = qualityOf(PROFILES_DIALECT, defects);
  return doc;
}
