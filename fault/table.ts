import { OUTAGE_RSS_BOUND_BYTES } from './scenarios';
import { aggregatesExact, alertsExact, alertsExtra, alertsMissing, sum, duplicated, malformedProduced, missing, mb, rejected, storedTwice, validProduced, type Measured } from './verdict';

export interface ResultRow {
  readonly scenario: string;
  readonly passed: boolean;
  /** PROCESSING_GUARANTEE the scenario ran with. */
  readonly guarantee: string;
  readonly measured: Measured;
}

const HEADER = [
  'scenario',
  'brokers',
  'result',
  'guarantee',
  'valid / malformed produced',
  'documents',
  'distinct ids',
  'dead-lettered (distinct / raw)',
  'rejected by OpenSearch',
  'missing',
  'duplicated',
  'processed dup. ids',
  'peak RSS MB proc / idx / prod',
  'recovery s (max; per fault)',
  'aggregates exact (windows)',
  'alerts exact (found / injected)',
  'notes',
];

/** The results table of docs/faults.md, in markdown. */
export function markdownTable(rows: readonly ResultRow[]): string {
  const lines = [`| ${HEADER.join(' | ')} |`, `|${HEADER.map(() => '---').join('|')}|`];
  for (const r of rows) lines.push(`| ${cells(r).join(' | ')} |`);
  return lines.join('\n');
}

function cells({ scenario, passed, guarantee, measured: m }: ResultRow): string[] {
  const rec = m.recoveryMs.map((ms) => (ms === null ? '–' : (ms / 1000).toFixed(1)));
  const measuredRec = m.recoveryMs.filter((ms): ms is number => ms !== null);
  const maxRec = measuredRec.length ? (Math.max(...measuredRec) / 1000).toFixed(1) : '–';
  const notes: string[] = [];
  if (m.raw.refusedByBroker) notes.push(`${m.raw.refusedByBroker} refused by broker`);
  if (m.raw.valid || m.raw.poison) notes.push(`raw: ${m.raw.valid} valid, ${m.raw.poison} poison`);
  if (storedTwice(m)) notes.push(`${storedTwice(m)} acknowledged once but stored twice in the input by the producer's client (epoch bump); counted as the input holds them`);
  if (m.outageRss !== undefined) notes.push(`indexer RSS in outage ${mb(m.outageRss)} MB (bound ${mb(OUTAGE_RSS_BOUND_BYTES)})`);
  if (m.retried429) notes.push(`${m.retried429} items retried after 429`);
  if (m.expectedRejected !== undefined) notes.push(`expected rejects ${m.expectedRejected}`);
  if (m.analytics) {
    notes.push(`analytics peak RSS ${m.peakRss.analytics ? mb(m.peakRss.analytics) : '–'} MB`);
    notes.push(`alerts topic distinct / raw ${m.analytics.alertsTopic.distinct} / ${m.analytics.alertsTopic.raw}`);
    const g = m.analytics.aggregatesTopic;
    if (g) notes.push(`aggregates topic distinct / raw ${g.distinct} / ${g.raw}`);
    if (m.analytics.late) notes.push(`${m.analytics.late} late`);
  }
  if (m.brokerFault) notes.push(brokerNote(m.brokerFault));
  if (m.termExits.length) notes.push(`SIGTERM exits: ${m.termExits.map((t) => `${t.code}/${(t.ms / 1000).toFixed(1)}s`).join(', ')}`);
  return [
    scenario,
    String(m.brokers ?? 1),
    passed ? 'pass' : '**FAIL**',
    guarantee,
    `${validProduced(m)} / ${malformedProduced(m)}`,
    String(m.docs),
    String(m.distinctSources),
    `${m.dlq.distinct} / ${m.dlq.raw}`,
    String(rejected(m)),
    String(missing(m)),
    String(duplicated(m)),
    String(m.processed.raw - m.processed.distinct),
    [m.peakRss.processor, m.peakRss.indexer, m.peakRss.producer].map((b) => (b ? mb(b) : '–')).join(' / '),
    `${maxRec} (${rec.join(', ') || '–'})`,
    m.analytics ? aggregatesCell(m.analytics) : '–',
    m.analytics ? alertsCell(m.analytics) : '–',
    notes.join('; ') || '',
  ];
}

function brokerNote(b: NonNullable<Measured['brokerFault']>): string {
  const c = b.leaderChange;
  const change = c ? `; partition ${c.partition} leader ${c.before} -> ${c.after} in ${(c.ms / 1000).toFixed(1)} s` : '';
  return `restarted ${b.victims.join(', ')}${change}; in sync after: ${b.inSync ? 'yes' : 'no'}`;
}

function aggregatesCell(a: NonNullable<Measured['analytics']>): string {
  const series = a.series.map((c) => `${c.sizeSeconds}s ${c.dimension} ${c.windows}${c.differingCount ? ` (${c.differingCount} differ)` : ''}`).join(', ');
  return `${aggregatesExact(a) ? 'yes' : '**no**'}: ${series}`;
}

function alertsCell(a: NonNullable<Measured['analytics']>): string {
  const wrong = [...alertsMissing(a).map((x) => `missing ${x}`), ...alertsExtra(a).map((x) => `extra ${x}`)];
  return `${alertsExact(a) ? 'yes' : '**no**'} (${a.found.length} / ${a.injected.length})${wrong.length ? `: ${wrong.slice(0, 3).join(', ')}` : ''}`;
}

export { sum };
