/**
 * A small, fast, seedable pseudo-random generator (sfc32, seeded through splitmix32)
 * with the draws the music simulator needs. Same seed, same sequence, on every platform:
 * only 32-bit integer arithmetic and IEEE doubles are involved.
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Exponential with the given mean (inverse-transform sampling, like Eventsim's). */
  exponential(mean: number): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** Index drawn in proportion to weights given as a running total (last element = total). */
  pickCumulative(cumulative: ArrayLike<number>): number;
}

const TWO_POW_32 = 4294967296;

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

class Sfc32 implements Random {
  private a: number;
  private b: number;
  private c: number;
  private d = 1;
  private spareNormal: number | null = null;

  constructor(seed: number) {
    const whole = Number.isFinite(seed) ? Math.trunc(seed) : 0;
    const low = whole >>> 0;
    const high = Math.floor(whole / TWO_POW_32) >>> 0;
    const mix = splitmix32(low ^ Math.imul(high, 0x27d4eb2d));
    this.a = mix();
    this.b = mix();
    this.c = mix();
    for (let i = 0; i < 12; i++) this.next();
  }

  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / TWO_POW_32;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  normal(): number {
    if (this.spareNormal !== null) {
      const spare = this.spareNormal;
      this.spareNormal = null;
      return spare;
    }
    const u = 1 - this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  pickCumulative(cumulative: ArrayLike<number>): number {
    const n = cumulative.length;
    const target = this.next() * (cumulative[n - 1] as number);
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cumulative[mid] as number) > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

export function createRandom(seed: number): Random {
  return new Sfc32(seed);
}
