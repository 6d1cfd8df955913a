import { z } from 'zod';
import { epochMs, shared, songLength, text, userAgent } from './fields';

/**
 * The original Eventsim's fields (see schema.ts): user fields, place and user agent only
 * when the user is shown, `null` for guests in the datasets made with it.
 */
export const originalUserId = z
  .string({ error: 'the original Eventsim writes userId as text ("" for a guest)' })
  .regex(/^(\d{1,15})?$/, 'must be a user number as text, or "" for a guest')
  .nullish();

export const originalCommon = {
  ...shared,
  location: text(256).nullish(),
  userAgent: userAgent.nullish(),
  firstName: text(128).nullish(),
  lastName: text(128).nullish(),
  gender: text(16).nullish(),
  registration: epochMs.nullish(),
};

export const originalSong = { artist: text(512), song: text(512), length: songLength };
