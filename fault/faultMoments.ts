/** n seeded moments in [from, to] of the run, sorted, spread so faults do not pile up. */
export function faultMoments(n: number, random: () => number, from: number, to: number): number[] {
  const slot = (to - from) / n;
  return Array.from({ length: n }, (_, i) => from + slot * i + slot * (0.2 + 0.6 * random()));
}
