export interface TimeFacets {
  /** Hour of day, UTC (0-23). */
  hour_of_day: number;
  /** ISO weekday, UTC: 1 = Monday ... 7 = Sunday. */
  weekday: number;
  weekday_name: string;
  is_weekend: boolean;
}

const NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

// UTC on purpose: local time needs the user's zone, which only some events carry, and
// Intl per event would cost more than the rest of the enrichment together.
export function timeFacets(ms: number): TimeFacets {
  const d = new Date(ms);
  const day = d.getUTCDay();
  return { hour_of_day: d.getUTCHours(), weekday: day === 0 ? 7 : day, weekday_name: NAMES[day]!, is_weekend: day === 0 || day === 6 };
}
