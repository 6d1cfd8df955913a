import { sum, duplicated, malformedProduced, missing, mb, rejected, validProduced, type Measured } from './verdict';

export interface ResultRow {
  readonly scenario: string;
  readonly passed: boolean;
  readonly measured: Measured;
}

const HEADER = [
  'scenario',
  'result',
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
  'notes',
];

/** The results table of docs/faults.md, in markdown. */
export function markdownTable(rows: readonly ResultRow[]): string {
  const lines = [`| ${HEADER.join(' | ')} |`, `|${HEADER.map(() => '---').join('|')}|`];
  for (const r of rows) lines.push(`| ${cells(r).join(' | ')} |`);
  return lines.join('\n');
}

function cells({ scenario, passed, measured: m }: ResultRow): string[] {
  const rec = m.recoveryMs.map((ms) => (ms === null ? '–' : (ms / 1000).toFixed(1)));
  const measuredRec = m.recoveryMs.filter((ms): ms is number => ms !== null);
  const maxRec = measuredRec.length ? (Math.max(...measuredRec) / 1000).toFixed(1) : '–';
  const notes: string[] = [];
  if (m.raw.refusedByBroker) notes.push(`${m.raw.refusedByBroker} refused by broker`);
  if (m.raw.valid || m.raw.poison) notes.push(`raw: ${m.raw.valid} valid, ${m.raw.poison} poison`);
  if (m.outageRss !== undefined) notes.push(`indexer RSS in outage ${mb(m.outageRss)} MB (bound 256)`);
  if (m.retried429) notes.push(`${m.retried429} items retried after 429`);
  if (m.expectedRejected !== undefined) notes.push(`expected rejects ${m.expectedRejected}`);
  if (m.termExits.length) notes.push(`SIGTERM exits: ${m.termExits.map((t) => `${t.code}/${(t.ms / 1000).toFixed(1)}s`).join(', ')}`);
  return [
    scenario,
    passed ? 'pass' : '**FAIL**',
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
    notes.join('; ') || '',
  ];
}

export { sum };
