import { backoffDelay } from '../../../pipeline/retry';

const lowest = () => 0;
const highest = () => 0.999999;

describe('backoffDelay', () => {
  it('starts between half and all of the initial delay', () => {
    expect(backoffDelay(0, 200, 30_000, lowest)).toBe(100);
    expect(backoffDelay(0, 200, 30_000, highest)).toBe(200);
  });

  it('doubles its ceiling with every attempt', () => {
    const ceilings = [0, 1, 2, 3, 4].map((a) => backoffDelay(a, 100, 1_000_000, highest));
    expect(ceilings).toEqual([100, 200, 400, 800, 1600]);
    const floors = [0, 1, 2, 3, 4].map((a) => backoffDelay(a, 100, 1_000_000, lowest));
    expect(floors).toEqual([50, 100, 200, 400, 800]);
  });

  it('never exceeds the maximum, however many attempts were made', () => {
    for (const attempt of [10, 30, 31, 100, 10_000]) {
      const d = backoffDelay(attempt, 200, 30_000, highest);
      expect(d).toBeLessThanOrEqual(30_000);
      expect(d).toBeGreaterThanOrEqual(29_999);
      expect(backoffDelay(attempt, 200, 30_000, lowest)).toBe(15_000);
    }
  });

  it('stays within [ceiling/2, ceiling] with the real random source', () => {
    for (let attempt = 0; attempt < 20; attempt++) {
      const ceiling = Math.min(5000, 50 * 2 ** attempt);
      for (let i = 0; i < 50; i++) {
        const d = backoffDelay(attempt, 50, 5000);
        expect(d).toBeGreaterThanOrEqual(Math.floor(ceiling / 2));
        expect(d).toBeLessThanOrEqual(ceiling);
        expect(Number.isInteger(d)).toBe(true);
      }
    }
  });
});
