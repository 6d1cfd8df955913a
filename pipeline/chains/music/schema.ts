import { z } from 'zod';
import { MusicTopic } from './topics';
import { auth, epochMs, shared, songLength, text, userAgent } from './fields';
import { originalCommon, originalSong, originalUserId } from './originalSchema';

/**
 * Eventsim's records, in both dialects it exists in, one schema per topic:
 * - `eventsim_kafka`, the Confluent fork streamify and Beatlytica run: `userId` a number
 *   (absent for guests and logged-out visitors, like every user field), the place as
 *   `city`/`state`/`zip`/`lat`/`lon`, the song length as `duration`;
 * - `eventsim_original` (and the public datasets made with it): `userId` a string (`""`
 *   for guests and logged-out visitors), user fields `null` or absent for them, the place
 *   as one `location` string ("City-Metro, ST"), the song length as `length`.
 * A record with any of the fork's own keys (`city`, `zip`, `state`, `lat`, `lon`,
 * `duration`) or a numeric `userId` is read as the fork's, any other as the original's;
 * both come out in one shape (`MusicEvent`), tagged with the dialect.
 * In both: `ts` and `registration` are epoch milliseconds; `userAgent` may be wrapped in
 * literal double quotes (Eventsim copies the quoted field of its user-agent file
 * verbatim), stripped here; `state` may name several states for a metro area ("NY-NJ-PA").
 * Unknown extra keys are ignored (they stay in the raw topic).
 */

export const MusicDialect = { KAFKA: 'eventsim_kafka', ORIGINAL: 'eventsim_original' } as const;
export type MusicDialect = (typeof MusicDialect)[keyof typeof MusicDialect];

/** What kind of event each topic carries: `event_type` of the indexed document. */
export const MUSIC_EVENT_TYPES = {
  [MusicTopic.LISTEN]: 'listen',
  [MusicTopic.PAGE_VIEW]: 'page_view',
  [MusicTopic.AUTH]: 'auth',
  [MusicTopic.STATUS_CHANGE]: 'status_change',
} as const satisfies Record<MusicTopic, string>;
export type MusicEventType = (typeof MUSIC_EVENT_TYPES)[MusicTopic];

const kafkaCommon = {
  ...shared,
  city: text(128),
  zip: text(16),
  state: text(32),
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  userAgent,
  userId: z.number({ error: 'the Kafka fork writes userId as a number, and leaves it out for guests' }).int('must be a whole number').nonnegative().optional(),
  firstName: text(128).optional(),
  lastName: text(128).optional(),
  gender: text(16).optional(),
  registration: epochMs.optional(),
};

const kafkaSong = { artist: text(512), song: text(512), duration: songLength };
const page = { page: text(64), auth, method: text(16), status: z.number().int().min(100).max(599) };

/** Per topic, each dialect's own fields: the topic decides the event type, the record its dialect. */
const TOPIC_FIELDS = {
  [MusicTopic.LISTEN]: {
    kafka: { ...kafkaCommon, auth, ...kafkaSong },
    original: { ...originalCommon, auth, ...originalSong },
  },
  [MusicTopic.PAGE_VIEW]: {
    kafka: { ...kafkaCommon, ...page, artist: kafkaSong.artist.optional(), song: kafkaSong.song.optional(), duration: songLength.optional() },
    original: { ...originalCommon, ...page, artist: originalSong.artist.nullish(), song: originalSong.song.nullish(), length: originalSong.length.nullish() },
  },
  [MusicTopic.AUTH]: {
    kafka: { ...kafkaCommon, success: z.boolean() },
    original: { ...originalCommon, success: z.boolean() },
  },
  [MusicTopic.STATUS_CHANGE]: {
    kafka: { ...kafkaCommon, auth },
    original: { ...originalCommon, auth },
  },
} as const;

/**
 * A validated record in the one shape both dialects come out in: the fork's field names,
 * place and user fields optional (the original has no city/zip/lat/lon, and its `location`
 * text is kept as `location`), tagged with the topic's event type and the dialect.
 */
export interface MusicEvent {
  event_type: MusicEventType;
  dialect: MusicDialect;
  ts: number;
  sessionId: number;
  level: 'free' | 'paid';
  itemInSession: number;
  auth?: z.infer<typeof auth>;
  page?: string;
  method?: string;
  status?: number;
  success?: boolean;
  userId?: number;
  firstName?: string;
  lastName?: string;
  gender?: string;
  registration?: number;
  userAgent?: string;
  city?: string;
  zip?: string;
  state?: string;
  lat?: number;
  lon?: number;
  /** The original dialect's place, "City-Metro, ST". */
  location?: string;
  artist?: string;
  song?: string;
  duration?: number;
}

const FORK_KEYS = ['city', 'zip', 'state', 'lat', 'lon', 'duration'] as const;

export function detectDialect(value: Record<string, unknown>): MusicDialect {
  return typeof value['userId'] === 'number' || FORK_KEYS.some((k) => Object.hasOwn(value, k)) ? MusicDialect.KAFKA : MusicDialect.ORIGINAL;
}

/** Nulls (the original's "not shown") become absent keys; `length` becomes `duration`. */
function normalise(value: Record<string, unknown>, type: MusicEventType, dialect: MusicDialect): MusicEvent {
  const out: Record<string, unknown> = { event_type: type, dialect };
  for (const [k, v] of Object.entries(value)) {
    if (v === null || v === undefined) continue;
    if (k === 'length') out['duration'] = v;
    else if (k === 'userId' && typeof v === 'string') {
      if (v !== '') out['userId'] = Number(v);
    } else out[k] = v;
  }
  return out as unknown as MusicEvent;
}

function topicSchema(topic: MusicTopic): z.ZodType<MusicEvent> {
  const type = MUSIC_EVENT_TYPES[topic];
  const kafka = z.object(TOPIC_FIELDS[topic].kafka).transform((v) => normalise(v, type, MusicDialect.KAFKA));
  const original = z.object({ ...TOPIC_FIELDS[topic].original, userId: originalUserId }).transform((v) => normalise(v, type, MusicDialect.ORIGINAL));
  return z
    .record(z.string(), z.unknown())
    .transform((v, ctx) => {
      const schema = detectDialect(v) === MusicDialect.KAFKA ? kafka : original;
      const r = schema.safeParse(v);
      if (r.success) return r.data;
      for (const issue of r.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
      return z.NEVER;
    }) as unknown as z.ZodType<MusicEvent>;
}

const SCHEMAS = Object.fromEntries(Object.values(MusicTopic).map((t) => [t, topicSchema(t)])) as Record<MusicTopic, z.ZodType<MusicEvent>>;

export function musicSchemaFor(topic: string): z.ZodType<MusicEvent> | undefined {
  return Object.hasOwn(SCHEMAS, topic) ? SCHEMAS[topic as MusicTopic] : undefined;
}
