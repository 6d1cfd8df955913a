import { z } from 'zod';
import { MusicTopic } from './topics';

/**
 * Eventsim's records (the Confluent fork streamify and Beatlytica run), one schema per
 * topic, fields and casing exactly as Eventsim writes them:
 * - `ts` and `registration` are epoch milliseconds;
 * - `userAgent` is wrapped in literal double quotes (Eventsim copies the quoted field of
 *   its user-agent file verbatim); they are stripped here;
 * - user details (`userId`, names, `gender`, `registration`) exist only while the user is
 *   Logged In or Cancelled: guests and logged-out visitors have none of them;
 * - `state` may name several states for a metro area ("NY-NJ-PA"), so it is not 2 letters.
 * Unknown extra keys are ignored (they stay in the raw topic).
 */

/** What kind of event each topic carries: `event_type` of the indexed document. */
export const MUSIC_EVENT_TYPES = {
  [MusicTopic.LISTEN]: 'listen',
  [MusicTopic.PAGE_VIEW]: 'page_view',
  [MusicTopic.AUTH]: 'auth',
  [MusicTopic.STATUS_CHANGE]: 'status_change',
} as const satisfies Record<MusicTopic, string>;
export type MusicEventType = (typeof MUSIC_EVENT_TYPES)[MusicTopic];

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `longer than ${max} characters`);
const epochMs = z.number().int('must be whole epoch milliseconds').nonnegative();
const id = z.number().int('must be a whole number').nonnegative();

/** Eventsim writes `"\"Mozilla/5.0 ...\""`: drop one pair of surrounding quotes. */
const userAgent = z
  .string()
  .max(1024, 'longer than 1024 characters')
  .transform((s) => (s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s))
  .pipe(text(1024));

const auth = z.enum(['Guest', 'Logged In', 'Logged Out', 'Cancelled']);

const common = {
  ts: epochMs,
  sessionId: id,
  level: z.enum(['free', 'paid']),
  itemInSession: id,
  city: text(128),
  zip: text(16),
  state: text(32),
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  userAgent,
  userId: id.optional(),
  firstName: text(128).optional(),
  lastName: text(128).optional(),
  gender: text(16).optional(),
  registration: epochMs.optional(),
};

const song = {
  artist: text(512),
  song: text(512),
  duration: z.number().positive().max(86_400, 'longer than a day'),
};

export const listenEventSchema = z.object({ ...common, auth, ...song });

export const pageViewEventSchema = z.object({
  ...common,
  page: text(64),
  auth,
  method: text(16),
  status: z.number().int().min(100).max(599),
  // Present on NextSong only.
  artist: song.artist.optional(),
  song: song.song.optional(),
  duration: song.duration.optional(),
});

export const authEventSchema = z.object({ ...common, success: z.boolean() });

export const statusChangeEventSchema = z.object({ ...common, auth });

export type ListenEvent = z.infer<typeof listenEventSchema>;
export type PageViewEvent = z.infer<typeof pageViewEventSchema>;
export type AuthEvent = z.infer<typeof authEventSchema>;
export type StatusChangeEvent = z.infer<typeof statusChangeEventSchema>;

/**
 * A validated record tagged with its topic's event type. The tag is added by the schema
 * (the JSON does not carry it), so enrichment knows which topic the record came from.
 */
export type MusicEvent =
  | (ListenEvent & { event_type: 'listen' })
  | (PageViewEvent & { event_type: 'page_view' })
  | (AuthEvent & { event_type: 'auth' })
  | (StatusChangeEvent & { event_type: 'status_change' });

const tagged = <S extends z.ZodType<object>, T extends MusicEventType>(schema: S, type: T) =>
  schema.transform((v) => ({ ...(v as z.output<S>), event_type: type }));

const SCHEMAS: Record<MusicTopic, z.ZodType<MusicEvent>> = {
  [MusicTopic.LISTEN]: tagged(listenEventSchema, 'listen'),
  [MusicTopic.PAGE_VIEW]: tagged(pageViewEventSchema, 'page_view'),
  [MusicTopic.AUTH]: tagged(authEventSchema, 'auth'),
  [MusicTopic.STATUS_CHANGE]: tagged(statusChangeEventSchema, 'status_change'),
} as Record<MusicTopic, z.ZodType<MusicEvent>>;

export function musicSchemaFor(topic: string): z.ZodType<MusicEvent> | undefined {
  return Object.hasOwn(SCHEMAS, topic) ? SCHEMAS[topic as MusicTopic] : undefined;
}
