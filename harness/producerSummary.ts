import type { ProducerSummary, RunningProcess } from './types';

/** The producer CLI's JSON summary: the last stdout line that is a JSON object (needs `keepStdout`). */
export function producerSummary(p: RunningProcess): ProducerSummary {
  const last = p.stdout().split('\n').filter((l) => l.startsWith('{')).pop();
  if (!last) throw new Error(`${p.name} printed no summary:\n${p.tail(20)}`);
  return JSON.parse(last) as ProducerSummary;
}
