/**
 * How often to report retries of one kind. A lost permission or a broker outage fails every
 * in-flight record again on each backoff: one warning per record per attempt buried the
 * cause under thousands of identical lines (2,391 for 300 records in 55 s). This lets the
 * first of a kind through, then one per interval with the count of those it held back.
 */
export class RetryReport {
  private readonly last = new Map<string, { atMs: number; held: number }>();

  constructor(
    private readonly intervalMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The number of retries of `kind` held back since the last report when this one is to be reported, else undefined. */
  take(kind: string): number | undefined {
    const t = this.now();
    const seen = this.last.get(kind);
    if (seen && t - seen.atMs < this.intervalMs) {
      seen.held++;
      return undefined;
    }
    this.last.set(kind, { atMs: t, held: 0 });
    return seen?.held ?? 0;
  }
}
