import { z } from 'zod';

/** Field schemas both Eventsim dialects share (see schema.ts). */
export const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `longer than ${max} characters`);
export const epochMs = z.number().int('must be whole epoch milliseconds').nonnegative();
const id = z.number().int('must be a whole number').nonnegative();

/** Eventsim writes `"\"Mozilla/5.0 ...\""`: drop one pair of surrounding quotes. */
export const userAgent = z
  .string()
  .max(1024, 'longer than 1024 characters')
  .transform((s) => (s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s))
  .pipe(text(1024));

export const auth = z.enum(['Guest', 'Logged In', 'Logged Out', 'Cancelled']);
export const songLength = z.number().positive().max(86_400, 'longer than a day');

/** Fields of every record, both dialects. */
export const shared = {
  ts: epochMs,
  sessionId: id,
  level: z.enum(['free', 'paid']),
  itemInSession: id,
};
