import { createRandom } from '../../../../producer/src/generators/music/createRandom';

describe('createRandom', () => {
  it('repeats its sequence for the same seed and differs for another', () => {
    const a = createRandom(42);
    const b = createRandom(42);
    const c = createRandom(43);
    const seqA = Array.from({ length: 100 }, () => a.next());
    expect(Array.from({ length: 100 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 100 }, () => c.next())).not.toEqual(seqA);
  });

  it('draws uniform, exponential and normal values with the right means', () => {
    const r = createRandom(1);
    const n = 200_000;
    let u = 0;
    let e = 0;
    let z = 0;
    let z2 = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const x = r.next();
      min = Math.min(min, x);
      max = Math.max(max, x);
      u += x;
      e += r.exponential(90);
      const g = r.normal();
      z += g;
      z2 += g * g;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(u / n).toBeCloseTo(0.5, 2);
    expect(e / n).toBeGreaterThan(89);
    expect(e / n).toBeLessThan(91);
    expect(z / n).toBeCloseTo(0, 1);
    expect(z2 / n).toBeCloseTo(1, 1);
  });

  it('picks indices in proportion to cumulative weights', () => {
    const r = createRandom(5);
    const counts = [0, 0, 0];
    for (let i = 0; i < 60_000; i++) counts[r.pickCumulative([1, 3, 6])]! += 1;
    expect(counts[0]! / 60_000).toBeCloseTo(1 / 6, 1);
    expect(counts[1]! / 60_000).toBeCloseTo(2 / 6, 1);
    expect(counts[2]! / 60_000).toBeCloseTo(3 / 6, 1);
  });
});
