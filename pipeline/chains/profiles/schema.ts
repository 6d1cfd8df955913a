import { z } from 'zod';
import { kept } from '../fieldDefects';

/**
 * One user of the randomuser.me API (https://randomuser.me/documentation, format 1.4), as
 * it documents it: `location.postcode` a number or a string (the API sends both, by
 * nationality), `location.coordinates` and `timezone.offset` as strings, `id.value` null
 * for nationalities without one. The credentials in `login` (`password`, `salt`, `md5`,
 * `sha1`, `sha256`) are not part of the schema: zod strips unknown keys, so they never
 * reach enrichment, the processed topic or the index.
 *
 * What a profile is for (who: `login.uuid`, `nat`, `gender`, `name`, `email`; where:
 * `location.country`; when: `dob`, `registered`) fails the record when missing or
 * mistyped; the rest is `kept`: left out with a `quality.defects` code.
 */
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `longer than ${max} characters`);
const isoDate = z.string().refine((s) => /^\d{4}-\d{2}-\d{2}T/.test(s) && Number.isFinite(Date.parse(s)), 'must be an ISO 8601 date and time');
const dated = z.object({ date: isoDate, age: z.number().int('must be a whole number').min(0).max(150) });
const degrees = (max: number) =>
  z
    .string()
    .regex(/^-?\d{1,3}(\.\d+)?$/, 'must be degrees as text')
    .refine((s) => Math.abs(Number(s)) <= max, `must be within ±${max}`);

export const coordinatesSchema = z.object({ latitude: degrees(90), longitude: degrees(180) });

export const profileSchema = z.object({
  gender: text(32),
  name: z.object({ title: z.string().max(64).default(''), first: text(128), last: text(128) }),
  location: z.object({
    street: kept('street', z.object({ number: z.number().int(), name: z.string().max(256) }), { optional: true }),
    city: kept('city', text(256), { optional: true }),
    state: kept('state', text(256), { optional: true }),
    country: text(128),
    postcode: kept('postcode', z.union([z.number().int().nonnegative(), text(32)]).transform(String), { optional: true }),
    coordinates: kept('coordinates', coordinatesSchema, { optional: true }),
    timezone: kept('timezone', z.object({ offset: z.string().regex(/^[+-]?\d{1,2}:\d{2}$/, 'must be like +5:30'), description: z.string().max(256) }), { optional: true }),
  }),
  email: text(320),
  login: z.object({
    uuid: z.string().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'must be a uuid').transform((s) => s.toLowerCase()),
    username: kept('username', text(128), { optional: true }),
  }),
  dob: dated,
  registered: dated,
  phone: kept('phone', text(64), { optional: true }),
  cell: kept('cell', text(64), { optional: true }),
  id: kept('id', z.object({ name: z.string().max(64), value: z.string().max(128).nullable() }), { optional: true }),
  picture: kept('picture', z.object({ large: z.string().max(1024), medium: z.string().max(1024), thumbnail: z.string().max(1024) }), { optional: true }),
  nat: z.string().regex(/^[A-Z]{2}$/, 'must be a two-letter nationality code'),
});

export type Profile = z.infer<typeof profileSchema>;

/**
 * A whole API response `{ "results": [...], "info": {...} }` is one record carrying many
 * users; anything else is one user. A `results` that is not a list gives no items, which
 * dead-letters the record.
 */
export function profileItems(value: Record<string, unknown>): { path: string; items: readonly unknown[] } | undefined {
  if (!('results' in value)) return undefined;
  return { path: 'results', items: Array.isArray(value.results) ? value.results : [] };
}
