import {
  MEAN_SESSION_START_ACCEPTANCE,
  sessionStartAcceptance,
} from '../../../../producer/src/generators/music/sessionStartAcceptance';

const HOUR = 3_600_000;
const WEDNESDAY = Date.UTC(2024, 0, 3);
const SATURDAY = Date.UTC(2024, 0, 6);

describe('sessionStartAcceptance', () => {
  it('stays a probability all week', () => {
    const outside: number[] = [];
    for (let t = WEDNESDAY; t < WEDNESDAY + 7 * 24 * HOUR; t += 7 * 60_000) {
      const p = sessionStartAcceptance(t);
      if (!(p > 0 && p <= 1)) outside.push(t);
    }
    expect(outside).toEqual([]);
    expect(MEAN_SESSION_START_ACCEPTANCE).toBeGreaterThan(0.4);
    expect(MEAN_SESSION_START_ACCEPTANCE).toBeLessThan(1);
  });

  it('is lowest around 03:00 UTC and highest in the evening', () => {
    const at = (h: number): number => sessionStartAcceptance(WEDNESDAY + h * HOUR);
    expect(at(3.5)).toBeLessThan(at(12));
    expect(at(12)).toBeLessThan(at(19.5));
    expect(at(19.5)).toBe(1);
  });

  it('thins weekends by 30%, ramping in from Friday 21:00 and out until Monday 03:00', () => {
    expect(sessionStartAcceptance(SATURDAY + 12 * HOUR)).toBeCloseTo(0.7 * sessionStartAcceptance(WEDNESDAY + 12 * HOUR));
    const fridayLate = SATURDAY - 1 * HOUR; // Friday 23:00, a third of the way down the ramp
    expect(sessionStartAcceptance(fridayLate)).toBeCloseTo((1 - 0.3 * (2 / 6)) * sessionStartAcceptance(WEDNESDAY + 23 * HOUR));
    const mondayEarly = SATURDAY + 2 * 24 * HOUR + 1 * HOUR; // Monday 01:00
    expect(sessionStartAcceptance(mondayEarly)).toBeCloseTo((1 - 0.3 * (2 / 6)) * sessionStartAcceptance(WEDNESDAY + 1 * HOUR));
  });
});
