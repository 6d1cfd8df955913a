import { RetryReport } from '../../../pipeline/retry';

describe('RetryReport', () => {
  it('reports the first retry of a kind, holds back the rest of the interval, then reports with their count', () => {
    let now = 0;
    const report = new RetryReport(10_000, () => now);
    const taken: Array<number | undefined> = [];
    for (const t of [0, 1, 2, 9_999, 10_000, 10_001, 25_000]) {
      now = t;
      taken.push(report.take('user-login: authorization failed'));
    }
    expect(taken).toEqual([0, undefined, undefined, undefined, 3, undefined, 1]);
  });

  it('keeps kinds apart', () => {
    const report = new RetryReport(10_000, () => 0);
    expect([report.take('a'), report.take('b'), report.take('a'), report.take('b')]).toEqual([0, 0, undefined, undefined]);
  });
});
