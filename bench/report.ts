import type { BenchResult } from './main';
import type { EndToEndResult } from './stages';
import type { Target } from './targets';

const n = (x: number | undefined, digits = 0) => (x === undefined || !Number.isFinite(x) ? '-' : x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
const pct = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '-' : `${(x * 100).toFixed(0)} %`);
const mib = (b: number | undefined) => (b === undefined || !b ? '-' : `${(b / 2 ** 20).toFixed(0)} MiB`);

function table(head: string[], rows: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => `| ${r.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join(' | ')} |`;
  return [line(head), `|${w.map((x, i) => (i === 0 ? ':' : '-') + '-'.repeat(x) + (i === 0 ? '-' : ':')).join('|')}|`, ...rows.map(line)].join('\n');
}

/** The results as Markdown tables: the same text goes to the terminal and into docs/benchmark.md. */
export function renderReport(r: BenchResult, targets: readonly Target[]): string {
  const m = r.machine;
  const c = r.configuration;
  const out: string[] = [];
  out.push(`### Streamdex benchmark, ${r.startedAt}${r.options.quick ? ' (quick mode)' : ''}`);
  out.push('');
  out.push(`Machine: ${m.cpuModel}, ${m.cores} cores, ${m.ramGiB} GiB RAM, Linux ${m.kernel}, Node ${m.node}; load average at start ${m.loadAvg.join(' / ')}; other stacks running: ${m.otherStacks.length ? m.otherStacks.join(', ') : 'none'}${r.quiet ? `; ${r.quiet.achieved ? 'quiet machine' : '**machine NOT quiet: figures carry other processes\' noise**'} (waited ${r.quiet.waitedSeconds} s)` : ''}.`);
  out.push(`Stack: Kafka ${c.versions.kafka} (heap ${c.heaps.kafka}), OpenSearch ${c.versions.opensearch} (heap ${c.heaps.opensearch}). Topics: ${c.kafka.partitions} partitions, replication ${c.kafka.replicationFactor}. Producers: acks=${c.kafka.acks}, idempotent=${c.kafka.idempotent}, linger ${c.kafka.lingerMs} ms, batch ${c.kafka.batchSizeBytes} B, ${c.kafka.compression}. Consumers: batch ${c.kafka.processorBatch}/${c.kafka.indexerBatch} (processor/indexer), max in flight ${c.kafka.processorMaxInFlight}/${c.kafka.indexerMaxInFlight}. Index: ${c.opensearch.shards ?? '-'} shard(s), ${c.opensearch.replicas ?? '-'} replica(s), refresh ${c.opensearch.refreshInterval ?? '-'}. Bulk: ${c.opensearch.bulkMaxDocs} docs / ${c.opensearch.bulkMaxBytes} B / ${c.opensearch.bulkFlushMs} ms, concurrency ${c.opensearch.bulkConcurrency}.`);
  out.push(`Command: \`${r.command}\` (${r.options.events} events per throughput measurement, ${r.options.durationS} s per latency phase).`);
  out.push('');

  const ce = r.ceilings;
  const st = r.stages;
  const rows: string[][] = [];
  if (ce?.kafkaProducer) rows.push(['ceiling: Kafka ProducerPerformance', n(ce.kafkaProducer.recordsPerSec), '', '', `${n(ce.kafkaProducer.recordBytes)} B records, ${n(ce.kafkaProducer.mbPerSec, 1)} MB/s`]);
  if (ce?.kafkaConsumer) rows.push(['ceiling: Kafka ConsumerPerformance', n(ce.kafkaConsumer.recordsPerSec), '', '', `${n(ce.kafkaConsumer.mbPerSec, 1)} MB/s`]);
  if (ce?.core) rows.push(['ceiling: enrichment core, 1 core', n(ce.core.eventsPerSec), '', '', `with JSON.stringify: ${n(ce.core.withSerializePerSec)} ev/s`]);
  if (ce?.bulk) rows.push(['ceiling: raw _bulk from memory', n(ce.bulk.docsPerSec), '', '', `${ce.bulk.batchDocs} docs/request, ${ce.bulk.concurrency} in flight, ${n(ce.bulk.meanDocBytes)} B/doc, OpenSearch ${n((ce.bulk.openSearchCpuSecondsPerDoc ?? Number.NaN) * 1e6)} CPU µs/doc`]);
  const stage = (name: string, s: { eventsPerSec: number; usage: { processes: Record<string, { peakRssBytes: number }> } } | undefined, proc: string, ceiling: number | undefined, ceilingName: string) => {
    if (!s) return;
    rows.push([name, n(s.eventsPerSec), ceiling ? pct(s.eventsPerSec / ceiling) : '', mib(s.usage.processes[proc]?.peakRssBytes), ceiling ? `vs ${ceilingName}` : '']);
  };
  stage('stage: producer alone', st?.producer, 'producer', ce?.kafkaProducer?.recordsPerSec, 'Kafka ProducerPerformance');
  stage('stage: processor alone', st?.processor, 'processor', ce?.core?.eventsPerSec, 'enrichment core');
  stage('stage: indexer alone', st?.indexer, 'indexer', ce?.bulk?.docsPerSec, 'raw _bulk');
  if (st?.indexer?.usage.processes.opensearch) rows[rows.length - 1]![4] += `; OpenSearch ${n((st.indexer.usage.processes.opensearch.cpuSeconds / st.indexer.events) * 1e6)} CPU µs/doc`;
  if (st?.endToEnd && st.producer && st.processor && st.indexer) {
    const slowest = Math.min(st.producer.eventsPerSec, st.processor.eventsPerSec, st.indexer.eventsPerSec);
    rows.push(['end to end', n(st.endToEnd.eventsPerSec), pct(st.endToEnd.eventsPerSec / slowest), '', `vs slowest stage alone; cores busy: ${pct(st.endToEnd.usage.trackedBusy)} by the pipeline's processes, ${pct(st.endToEnd.usage.machineBusy)} whole machine (peak ${pct(st.endToEnd.usage.machineBusyPeak)})`]);
  } else if (st?.endToEnd) rows.push(['end to end', n(st.endToEnd.eventsPerSec), '', '', `cores busy ${pct(st.endToEnd.usage.machineBusy)}`]);
  if (rows.length) out.push(table(['throughput', 'events/s', 'of ceiling', 'peak RSS', 'notes'], rows), '');

  if (st?.endToEnd) {
    const e = st.endToEnd;
    const names = Object.keys(e.cpuSecondsPerEvent);
    out.push(table(['end to end, per process', 'CPU µs/event', 'CPU s', 'peak RSS'], names.map((k) => [k, n(e.cpuSecondsPerEvent[k]! * 1e6, 1), n(e.usage.processes[k]?.cpuSeconds, 1), mib(e.usage.processes[k]?.peakRssBytes)])
      .concat([['total', n(Object.values(e.cpuSecondsPerEvent).reduce((a, b) => a + b, 0) * 1e6, 1), n(Object.values(e.usage.processes).reduce((a, p) => a + p.cpuSeconds, 0), 1), '']])), '');
  }
  if (r.analytics) {
    const a = r.analytics;
    const procs = [...new Set([...Object.keys(a.without.cpuSecondsPerEvent), ...Object.keys(a.with.cpuSecondsPerEvent)])];
    const cell = (e: typeof a.with, k: string) => (e.cpuSecondsPerEvent[k] === undefined ? '-' : `${n(e.cpuSecondsPerEvent[k]! * 1e6, 1)} / ${mib(e.usage.processes[k]?.peakRssBytes)}`);
    out.push(`End to end without and with the analytics stage (${n(a.with.events)} events each, simulated event times from ${a.startTime}): ${n(a.without.eventsPerSec)} vs ${n(a.with.eventsPerSec)} ev/s (${pct(a.with.eventsPerSec / a.without.eventsPerSec)}).`, '');
    out.push(table(['per process (CPU µs/event / peak RSS)', 'without analytics', 'with analytics'], [
      ...procs.map((k) => [k, cell(a.without, k), cell(a.with, k)]),
      ['cores busy by the pipeline', pct(a.without.usage.trackedBusy), pct(a.with.usage.trackedBusy)],
    ]), '');
  }
  if (r.health) {
    const h = r.health;
    const runs = [...h.without, ...(h.samplingOnly ?? []), ...h.with];
    const procs = [...new Set(runs.flatMap((e) => Object.keys(e.cpuSecondsPerEvent)))];
    const cell = (e: EndToEndResult, k: string) => (e.cpuSecondsPerEvent[k] === undefined ? '-' : `${n(e.cpuSecondsPerEvent[k]! * 1e6, 1)} / ${mib(e.usage.processes[k]?.peakRssBytes)}`);
    const rates = (xs: readonly EndToEndResult[]) => xs.map((e) => n(e.eventsPerSec)).join(' and ');
    const s = h.samplingOnly ?? [];
    const sampling = s.length > 0 ? `, ${rates(s)} ev/s with sampling only (${pct(h.samplingOnlyRatio)} of off)` : '';
    out.push(`End to end without health sampling (HEALTH_INTERVAL_MS=0, no dead letters), with sampling only, and as deployed (sampling on, ${n(h.deadLetters)} dead letters indexed per run), ${n(h.with[0]?.events)} events per run, in the order off, sampling, both, both, sampling, off: ${rates(h.without)} ev/s off${sampling}, ${rates(h.with)} ev/s with both (mean both ÷ mean off: ${pct(h.ratio)}).`, '');
    const order: Array<[string, EndToEndResult | undefined]> = [['off', h.without[0]], ['sampling', s[0]], ['both', h.with[0]], ['both', h.with[1]], ['sampling', s[1]], ['off', h.without[1]]];
    const shown = order.filter(([, e]) => e);
    out.push(table(['per process (CPU µs/event / peak RSS)', ...shown.map(([name], i) => `${name} (run ${i + 1})`)], [
      ...procs.map((k) => [k, ...shown.map(([, e]) => cell(e!, k))]),
      ['cores busy by the pipeline', ...shown.map(([, e]) => pct(e!.usage.trackedBusy))],
    ]), '');
  }
  if (r.peers) {
    const p = r.peers;
    const designs = [p.streamdex, ...p.peers];
    const procs = [...new Set(designs.flatMap((d) => Object.keys(d.cpuMicrosPerEvent)))].filter((k) => k !== 'producer');
    const total = (d: (typeof designs)[number]) => procs.reduce((a, k) => a + (d.cpuMicrosPerEvent[k] ?? 0), 0);
    out.push(`Streamdex end to end beside the peers (${n(p.events)} events per run, ${p.runs.length / designs.length} rounds in alternating order, medians; CPU counted for every process but the producer, which is the same for both):`, '');
    out.push(table(['design', 'events/s', 'events/CPU-s', 'CPU µs/event', ...procs.map((k) => `${k} µs`), 'producer µs', 'peak RSS (consumers)'], designs.map((d) => [
      d.design, n(d.eventsPerSec), n(d.eventsPerCpuSecond), n(total(d), 1), ...procs.map((k) => (d.cpuMicrosPerEvent[k] === undefined ? '-' : n(d.cpuMicrosPerEvent[k], 1))), n(d.cpuMicrosPerEvent.producer, 1),
      Object.entries(d.peakRssBytes).filter(([k]) => !['kafka', 'opensearch', 'producer'].includes(k)).map(([k, b]) => `${k} ${mib(b)}`).join(', '),
    ])), '');
    out.push(table(['run', 'design', 'events/s', 'CPU µs/event (no producer)'], p.runs.map((x) => [`round ${x.round + 1}`, x.design, n(x.eventsPerSec), n(1e6 / x.eventsPerCpuSecond, 1)])), '');
  }
  if (r.fields) {
    const f = r.fields;
    const cpu = (g: (typeof f.groups)[number]) => (g.bulk.openSearchCpuSecondsPerDoc ?? Number.NaN) * 1e6;
    // Each group against the baselines measured just before and after it (older results: first and last).
    const around = (i: number) => (f.baseline.length === f.groups.length + 1 ? [f.baseline[i]!, f.baseline[i + 1]!] : f.baseline);
    const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    out.push(`What each field group costs OpenSearch: raw \`_bulk\` of the same ${n(f.baseline[0]!.bulk.docs)} documents with the group display-only (\`index: false\`, \`doc_values: false\`, still in \`_source\`), each against the unchanged template measured just before and after it (baselines: ${f.baseline.map((g) => `${n(cpu(g), 1)} µs`).join(', ')}):`, '');
    out.push(table(['display-only group', 'docs/s', 'OpenSearch CPU µs/doc', 'saved vs template', 'stored B/doc', 'saved'], [
      ...f.groups.map((g, i) => [g.group, n(g.bulk.docsPerSec), n(cpu(g), 1), n(mean(around(i).map(cpu)) - cpu(g), 1), n(g.storeBytesPerDoc), n(mean(around(i).map((b) => b.storeBytesPerDoc)) - g.storeBytesPerDoc)]),
    ]), '');
  }
  if (r.latency?.length) {
    const ms = (x: Record<string, number>) => `${n(x.p50)} / ${n(x.p95)} / ${n(x.p99)}`;
    out.push(table(['latency (ms, p50 / p95 / p99)', 'rate ev/s', 'produce→searchable', 'produce→processed', 'processed→indexed', 'indexed→visible'],
      r.latency.map((p) => [`${p.share * 100} % of ${n(r.maxRate)} ev/s`, `${n(p.achievedRate)}`, ms(p.total), ms(p.hops.produceToProcessed), ms(p.hops.processedToIndexed), ms(p.hops.indexedToVisible)])), '');
  }
  if (r.guarantee) {
    const g = r.guarantee;
    const [alo, eos] = [g.runs.find((x) => x.guarantee === 'at_least_once'), g.runs.find((x) => x.guarantee === 'exactly_once')];
    const rows: string[][] = g.runs.map((x) => [`${x.guarantee}: end to end`, n(x.endToEnd.eventsPerSec), '', '', `processor ${n((x.endToEnd.cpuSecondsPerEvent.processor ?? Number.NaN) * 1e6, 1)} CPU µs/event`]);
    if (alo && eos) rows.push(['exactly_once / at_least_once', pct(eos.endToEnd.eventsPerSec / alo.endToEnd.eventsPerSec), '', '', 'throughput']);
    for (const share of alo?.latency.map((p) => p.share) ?? []) {
      const a = alo?.latency.find((p) => p.share === share);
      const e = eos?.latency.find((p) => p.share === share);
      const diff = a && e ? e.total.p99! - a.total.p99! : undefined;
      rows.push([`p99 produce→searchable at ${share * 100} % of ${n(g.maxRate)} ev/s`, '', a ? n(a.total.p99) : '-', e ? n(e.total.p99) : '-', diff === undefined ? '' : `exactly_once ${diff >= 0 ? '+' : ''}${n(diff)} ms; produce→processed p99 ${n(a?.hops.produceToProcessed.p99)} vs ${n(e?.hops.produceToProcessed.p99)} ms`]);
    }
    out.push(table(['processing guarantee (processor)', 'events/s', 'at_least_once ms', 'exactly_once ms', 'notes'], rows), '');
  }
  if (r.memory?.outage) {
    const o = r.memory.outage;
    out.push(`Indexer during a ${o.outageSeconds} s OpenSearch outage with ${n(o.input)} documents waiting: RSS ${mib(o.rssBeforeBytes)} before, ${mib(o.rssPeakDuringBytes)} peak during; all indexed ${n(o.recoverySeconds, 1)} s after OpenSearch answered again. At the end of the outage: V8 heap ${mib(o.breakdown.nodejs_heap_size_used_bytes)} used of ${mib(o.breakdown.nodejs_heap_size_total_bytes)}, external (Buffers) ${mib(o.breakdown.nodejs_external_memory_bytes)}, ${n(o.breakdown.streamdex_indexer_pending_documents)} documents pending in the bulk indexer.`, '');
  }
  out.push(table(['target', 'measured', 'bound', 'result'], targets.map((t) => [t.name, t.unit === 'ratio' ? pct(t.value) : `${n(t.value)} ${t.unit}`, `${t.atMost ? '≤' : '≥'} ${t.unit === 'ratio' ? pct(t.bound) : `${t.bound} ${t.unit}`}`, t.met === undefined ? 'not measured' : t.met ? 'met' : 'MISSED'])));
  return out.join('\n');
}
