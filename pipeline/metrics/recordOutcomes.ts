import { Counter, type Registry } from 'prom-client';

export type OutcomeLabel = 'chain' | 'outcome' | 'code';

/** streamdex_<stage>_records_total: what became of each record a stage read, by chain. */
export function recordOutcomes(registry: Registry, stage: string, help: string): Counter<OutcomeLabel> {
  return new Counter({ name: `streamdex_${stage}_records_total`, help, labelNames: ['chain', 'outcome', 'code'], registers: [registry] });
}
