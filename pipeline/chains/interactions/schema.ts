import { z } from 'zod';
import { kept } from '../fieldDefects';

/**
 * The user-interaction event of the original producer (topic `user_interactions`):
 * `event_type`, `user_id` and `page_id` integers, `timestamp` as "YYYY-MM-DD HH:MM:SS" in
 * UTC. Beyond the original: `event_id` (the downstream schema expected one the producer
 * never sent, so it is optional), `add_to_cart` and `search` events, `amount` and
 * `currency` on purchases (required there) and an optional search `query`.
 * Every field but `query` makes the event what it is (who, what, on which page, when, and
 * for a purchase how much), so a bad one dead-letters it; a bad query is only left out
 * (`quality.defects`: `query_invalid`).
 */
export const INTERACTION_TYPES = ['page_visit', 'click', 'purchase', 'signup', 'add_to_cart', 'search'] as const;
export type InteractionType = (typeof INTERACTION_TYPES)[number];

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `longer than ${max} characters`);
const id = z.number().int('must be a whole number').nonnegative();

const DATETIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** "YYYY-MM-DD HH:MM:SS" (UTC) to epoch ms; NaN when it is not a real date and time. */
export function parseDatetimeText(s: string): number {
  const m = DATETIME.exec(s);
  if (!m) return Number.NaN;
  const [y, mo, d, h, mi, se] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, se);
  const back = new Date(ms);
  // Date.UTC rolls 2024-02-30 over to March: reject instead of guessing.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || se > 59) return Number.NaN;
  return ms;
}

export const interactionEventSchema = z
  .object({
    event_type: z.enum(INTERACTION_TYPES),
    user_id: id,
    page_id: id,
    timestamp: z
      .string({ error: (iss) => (iss.input === undefined ? 'required' : `expected "YYYY-MM-DD HH:MM:SS" text (UTC), got a ${typeof iss.input}`) })
      .regex(DATETIME, 'must be "YYYY-MM-DD HH:MM:SS"')
      .refine((s) => Number.isFinite(parseDatetimeText(s)), 'is not a valid date and time'),
    event_id: text(128).optional(),
    amount: z.number().positive('must be greater than 0').max(1e9).optional(),
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be a 3-letter currency code').optional(),
    query: kept('query', z.string().max(512, 'longer than 512 characters'), { optional: true }),
  })
  .superRefine((v, ctx) => {
    if (v.event_type !== 'purchase') return;
    if (v.amount === undefined) ctx.addIssue({ code: 'custom', path: ['amount'], message: 'required on a purchase' });
    if (v.currency === undefined) ctx.addIssue({ code: 'custom', path: ['currency'], message: 'required on a purchase' });
  });

export type InteractionEvent = z.infer<typeof interactionEventSchema>;
