import { z } from 'zod';

/**
 * As epoch seconds, anything from 1e11 on is after the year 5138, outside any event
 * window; as milliseconds, 1e11..1e14 is 1973..5138. So such a value is unambiguous
 * milliseconds and is normalised (quality flag `timestamp_ms_to_s`) rather than refused.
 */
const MS_FROM = 1e11;
const US_FROM = 1e14;
const NS_FROM = 1e17;

const NUMERIC = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** What a producer's owner needs to hear about an epoch-seconds value, or null when it is one. */
export function epochSecondsProblem(n: number): string | null {
  if (!Number.isFinite(n)) return 'not a finite number';
  if (!Number.isInteger(n)) return 'not a whole number';
  if (Math.abs(n) >= NS_FROM) return 'looks like epoch nanoseconds; expected seconds';
  if (Math.abs(n) >= US_FROM) return 'looks like epoch microseconds; expected seconds';
  return null;
}

export function isEpochMs(n: number): boolean {
  return Math.abs(n) >= MS_FROM;
}

/** Epoch ms of a validated login timestamp (seconds, or unambiguous milliseconds). */
export function loginTimeMs(t: number): number {
  return isEpochMs(t) ? t : t * 1000;
}

/**
 * Epoch seconds as a number or a numeric string (the take-home's sample sends "1694479551"),
 * with a reason in words for everything else. JSON.parse reads 1e400 as Infinity.
 */
export const epochSeconds = z.unknown().optional().transform((v, ctx): number => {
  const text = typeof v === 'string' ? v.trim() : undefined;
  const n = typeof v === 'number' ? v : text !== undefined && NUMERIC.test(text) ? Number(text) : undefined;
  const problem =
    v === undefined || v === null
      ? 'required: epoch seconds'
      : n === undefined
        ? `expected epoch seconds (a whole number or a numeric string), got ${typeof v === 'string' ? 'text' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`}`
        : epochSecondsProblem(n);
  if (problem !== null) {
    ctx.addIssue({ code: 'custom', message: problem });
    return z.NEVER;
  }
  return n!;
});
