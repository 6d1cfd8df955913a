/**
 * When sessions may start: the daily and weekly cycle of the simulator, in UTC
 * (Eventsim also works in UTC: it turns its LocalDateTime clock into epoch ms with
 * ZoneOffset.UTC, so "3 AM" is 03:00 UTC).
 *
 * A candidate session start (or new-user arrival) at time t is kept with probability
 * `sessionStartAcceptance(t)`, otherwise the next candidate is drawn from t on; this is
 * how Eventsim thins weekends (`keepThisDate`). Instead of Eventsim's sinusoidal
 * time-warp (which puts the peak at 15:00), the daily shape is an hourly table with the
 * trough at 03:00–04:00 and the peak at 19:00–20:00, interpolated linearly.
 *
 * Weekends: the acceptance is multiplied by 1 - 0.3 × ramp, where the ramp goes from 0
 * at Friday 21:00 to 1 at Saturday 03:00 and back from Sunday 21:00 to Monday 03:00
 * (Eventsim's weekend-damping 0.5 with offset 180 min and scale 360 min, at our 0.3).
 */
const HOURLY = [
  0.55, 0.4, 0.28, 0.22, 0.22, 0.28, 0.4, 0.55, 0.65, 0.7, 0.72, 0.75, 0.78, 0.78, 0.78, 0.8, 0.84, 0.9, 0.96, 1, 1,
  0.95, 0.85, 0.7,
] as const;

export const WEEKEND_DAMPING = 0.3;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const RAMP_START_MIN = 21 * 60; // 3 h before midnight
const RAMP_MIN = 360; // 6 h ramps

function hourlyWeight(msOfDay: number): number {
  const h = msOfDay / HOUR_MS;
  const i = Math.floor(h);
  const frac = h - i;
  const a = HOURLY[i % 24] as number;
  const b = HOURLY[(i + 1) % 24] as number;
  return a + (b - a) * frac;
}

/** 0 on weekdays, 1 through the weekend, with 6-hour linear ramps around it. */
function weekendRamp(ts: number): number {
  const day = Math.floor(ts / DAY_MS);
  const dow = (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
  const minute = (ts - day * DAY_MS) / 60_000;
  switch (dow) {
    case 5: // Friday
      return minute >= RAMP_START_MIN ? (minute - RAMP_START_MIN) / RAMP_MIN : 0;
    case 6: // Saturday
      return minute < 180 ? (180 + minute) / RAMP_MIN : 1;
    case 0: // Sunday
      return minute >= RAMP_START_MIN ? 1 - (minute - RAMP_START_MIN) / RAMP_MIN : 1;
    case 1: // Monday
      return minute < 180 ? (180 - minute) / RAMP_MIN : 0;
    default:
      return 0;
  }
}

/** Probability in (0, 1] that a session may start at epoch ms `ts`. */
export function sessionStartAcceptance(ts: number): number {
  const day = Math.floor(ts / DAY_MS);
  return hourlyWeight(ts - day * DAY_MS) * (1 - WEEKEND_DAMPING * weekendRamp(ts));
}

/** Mean of `sessionStartAcceptance` over a week, to keep long-run rates at their nominal value. */
export const MEAN_SESSION_START_ACCEPTANCE: number = (() => {
  const step = 60_000;
  let sum = 0;
  let n = 0;
  for (let t = 0; t < 7 * DAY_MS; t += step, n++) sum += sessionStartAcceptance(t);
  return sum / n;
})();
