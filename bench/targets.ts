import type { BenchResult } from './main';
import type { WindowUsage } from './processSampler';
import { RSS_BOUNDED_ROLES, serviceRssBoundMiB } from '../harness';

export interface Target {
  readonly name: string;
  /** Measured value (a ratio, ms or MiB) and the bound it is held to. */
  readonly value: number;
  readonly bound: number;
  readonly unit: 'ratio' | 'ms' | 'MiB';
  readonly atMost: boolean;
  readonly met: boolean | undefined;
  readonly detail: string;
}

function target(name: string, value: number | undefined, bound: number, unit: Target['unit'], atMost: boolean, detail: string): Target {
  const v = value ?? Number.NaN;
  const met = Number.isFinite(v) ? (atMost ? v <= bound : v >= bound) : undefined;
  return { name, value: v, bound, unit, atMost, met, detail };
}

const div = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined && b > 0 ? a / b : undefined);

const RSS_BOUND_MIB = serviceRssBoundMiB();

/** Every window in which the bench sampled processes: stages, end-to-end runs, comparisons. */
function windows(r: BenchResult): WindowUsage[] {
  const s = r.stages;
  const runs = [
    s?.producer,
    s?.processor,
    s?.indexer,
    s?.endToEnd,
    r.analytics?.without,
    r.analytics?.with,
    ...(r.health?.without ?? []),
    ...(r.health?.with ?? []),
    ...(r.health?.samplingOnly ?? []),
    ...(r.guarantee?.runs.map((g) => g.endToEnd) ?? []),
    ...(r.peers?.runs ?? []),
  ];
  return runs.flatMap((x) => (x ? [x.usage] : []));
}

/** A service's highest RSS anywhere in the run (lifetime VmHWM of each of its processes), MiB. */
export function servicePeakRssMiB(r: BenchResult, name: string): { mib: number; phases: number } | undefined {
  const peaks = windows(r).flatMap((u) => (u.processes[name] ? [u.processes[name].peakRssBytes] : []));
  if (name === 'indexer' && r.memory?.outage) peaks.push(r.memory.outage.rssPeakDuringBytes);
  return peaks.length > 0 ? { mib: Math.max(...peaks) / 2 ** 20, phases: peaks.length } : undefined;
}

/**
 * What Kafka and OpenSearch alone would allow end to end: all cores divided by the CPU
 * they spent per event in the end-to-end run, events/s.
 */
export function infrastructureLimit(r: BenchResult): { eventsPerSec: number; cpuMicrosPerEvent: number } | undefined {
  const perEvent = r.stages?.endToEnd?.cpuSecondsPerEvent;
  const infra = perEvent && perEvent.kafka !== undefined && perEvent.opensearch !== undefined ? perEvent.kafka + perEvent.opensearch : undefined;
  return infra ? { eventsPerSec: r.machine.cores / infra, cpuMicrosPerEvent: infra * 1e6 } : undefined;
}

/** The issue's targets, each as a number against its bound; undefined `met`: not measured. */
export function evaluateTargets(r: BenchResult): Target[] {
  const s = r.stages;
  const c = r.ceilings;
  const slowest = s?.producer && s.processor && s.indexer ? Math.min(s.producer.eventsPerSec, s.processor.eventsPerSec, s.indexer.eventsPerSec) : undefined;
  const half = r.latency?.find((p) => p.share === 0.5);
  // Our own processes' share, not the machine's: another stack on the same cores would
  // otherwise make an idle pipeline look busy.
  const busy = s?.endToEnd?.usage.trackedBusy;
  const best = r.peers?.peers.reduce((a, b) => (b.eventsPerCpuSecond > a.eventsPerCpuSecond ? b : a));
  const fastest = r.peers?.peers.reduce((a, b) => (b.eventsPerSec > a.eventsPerSec ? b : a));
  const infra = infrastructureLimit(r);
  const rss = RSS_BOUNDED_ROLES.map((name) => {
    const peak = servicePeakRssMiB(r, name);
    return target(`${name} peak RSS, any phase`, peak?.mib, RSS_BOUND_MIB, 'MiB', true, peak ? `highest of ${peak.phases} sampled phases` : 'not measured');
  });
  return [
    target('end to end / infrastructure limit', div(s?.endToEnd?.eventsPerSec, infra?.eventsPerSec), 0.8, 'ratio', false, infra ? `limit ${infra.eventsPerSec.toFixed(0)} ev/s: ${r.machine.cores} cores / ${infra.cpuMicrosPerEvent.toFixed(1)} CPU µs per event of Kafka and OpenSearch` : 'not measured'),
    target('indexer alone / raw _bulk ceiling', div(s?.indexer?.eventsPerSec, c?.bulk?.docsPerSec), 0.9, 'ratio', false, 'same OpenSearch, documents, batch size and concurrency'),
    target('processor alone / enrichment core (1 core)', div(s?.processor?.eventsPerSec, c?.core?.eventsPerSec), 0.6, 'ratio', false, 'processRecord only, no serialization, no Kafka'),
    target('end to end / slowest stage alone', div(s?.endToEnd?.eventsPerSec, slowest), 0.5, 'ratio', false, `slowest stage: ${slowest?.toFixed(0) ?? '-'} ev/s`),
    target('both cores busy (pipeline + Kafka + OpenSearch) end to end', busy, 0.9, 'ratio', false, `mean over the run; whole machine ${((s?.endToEnd?.usage.machineBusy ?? Number.NaN) * 100).toFixed(0)} % mean, ${((s?.endToEnd?.usage.machineBusyPeak ?? Number.NaN) * 100).toFixed(0)} % peak 1 s`),
    target('p99 produce -> searchable at 50 % of max', half?.total.p99, 1500, 'ms', true, half ? `at ${half.targetRate} ev/s` : 'not measured'),
    target('indexer RSS during a 30 s OpenSearch outage', r.memory?.outage ? r.memory.outage.rssPeakDuringBytes / 2 ** 20 : undefined, RSS_BOUND_MIB, 'MiB', true, r.memory?.outage ? `outage ${r.memory.outage.outageSeconds} s, input ${r.memory.outage.input} docs` : 'not measured'),
    target('end to end with analytics / without', div(r.analytics?.with.eventsPerSec, r.analytics?.without.eventsPerSec), 0.85, 'ratio', false, r.analytics ? `${r.analytics.with.eventsPerSec.toFixed(0)} vs ${r.analytics.without.eventsPerSec.toFixed(0)} ev/s` : 'not measured'),
    target('events per CPU-second vs best peer', div(r.peers?.streamdex.eventsPerCpuSecond, best?.eventsPerCpuSecond), 1, 'ratio', false, r.peers && best ? `Streamdex ${r.peers.streamdex.eventsPerCpuSecond.toFixed(0)} vs ${best.design} ${best.eventsPerCpuSecond.toFixed(0)} events/CPU-s (Kafka, OpenSearch and the services; not the producer)` : 'not measured'),
    target('end to end events/s vs fastest peer', div(r.peers?.streamdex.eventsPerSec, fastest?.eventsPerSec), 1, 'ratio', false, r.peers && fastest ? `Streamdex ${r.peers.streamdex.eventsPerSec.toFixed(0)} vs ${fastest.design} ${fastest.eventsPerSec.toFixed(0)} ev/s` : 'not measured'),
    target('end to end with health sampling and dead-letter indexing / without', r.health?.ratio, 0.95, 'ratio', false, r.health ? `mean of 2 runs each, ${r.health.deadLetters} dead letters per run${r.health.samplingOnlyRatio === undefined ? '' : `; sampling alone ${(r.health.samplingOnlyRatio * 100).toFixed(0)} % of without`}` : 'not measured'),
    ...rss,
  ];
}
