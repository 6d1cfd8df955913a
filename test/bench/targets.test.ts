import type { BenchResult } from '../../bench/main';
import type { ProcessUsage, WindowUsage } from '../../bench/processSampler';
import { evaluateTargets, infrastructureLimit, servicePeakRssMiB } from '../../bench/targets';

const MiB = 2 ** 20;
const usage = (rss: Record<string, number>): WindowUsage => ({
  seconds: 10,
  machineBusy: 0.9,
  machineBusyPeak: 1,
  trackedBusy: 0.9,
  processes: Object.fromEntries(
    Object.entries(rss).map(([name, mib]): [string, ProcessUsage] => [name, { name, pid: 1, cpuSeconds: 1, peakRssBytes: mib * MiB, windowPeakRssBytes: mib * MiB }]),
  ),
});

function result(extra: Partial<BenchResult>): BenchResult {
  return { machine: { cores: 2 }, errors: [], ...extra } as unknown as BenchResult;
}

describe('bench targets', () => {
  it('holds end to end against what Kafka and OpenSearch alone allow on all cores', () => {
    // 20 + 80 CPU µs per event of Kafka and OpenSearch: 2 cores allow 20,000 ev/s.
    const endToEnd = { events: 1000, eventsPerSec: 15_000, usage: usage({}), cpuSecondsPerEvent: { kafka: 20e-6, opensearch: 80e-6, processor: 40e-6 } };
    const r = result({ stages: { endToEnd } });
    expect(infrastructureLimit(r)).toEqual({ eventsPerSec: expect.closeTo(20_000, 6) as number, cpuMicrosPerEvent: expect.closeTo(100, 6) as number });
    const row = evaluateTargets(r).find((t) => t.name === 'end to end / infrastructure limit')!;
    expect(row.value).toBeCloseTo(0.75, 6);
    expect(row.met).toBe(false);
  });

  it('takes each service’s highest RSS over every phase that sampled it, the indexer’s outage too', () => {
    const run = (rss: Record<string, number>) => ({ events: 1, eventsPerSec: 1, usage: usage(rss) });
    const r = result({
      stages: { processor: run({ processor: 240 }), endToEnd: { ...run({ processor: 250, indexer: 200, producer: 120 }), cpuSecondsPerEvent: {} } },
      guarantee: { maxRate: 1, runs: [{ guarantee: 'exactly_once', endToEnd: { ...run({ processor: 262 }), cpuSecondsPerEvent: {} }, latency: [] }] },
      memory: { outage: { rssPeakDuringBytes: 230 * MiB } as never },
    } as Partial<BenchResult>);
    expect(servicePeakRssMiB(r, 'processor')).toEqual({ mib: 262, phases: 3 });
    expect(servicePeakRssMiB(r, 'indexer')).toEqual({ mib: 230, phases: 2 });
    const rows = Object.fromEntries(evaluateTargets(r).filter((t) => t.name.endsWith('peak RSS, any phase')).map((t) => [t.name, t.met]));
    expect(rows).toEqual({
      'processor peak RSS, any phase': false,
      'indexer peak RSS, any phase': true,
      'producer peak RSS, any phase': true,
      'analytics peak RSS, any phase': undefined,
    });
  });
});
