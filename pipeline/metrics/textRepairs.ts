import { Counter, type Registry } from 'prom-client';
import { repairedTextFields } from '../enrich';

export type TextRepairLabel = 'chain' | 'field';

/** streamdex_text_repairs_total: text fields repaired from mojibake, by chain and field. */
export function textRepairs(registry: Registry): Counter<TextRepairLabel> {
  return new Counter({
    name: 'streamdex_text_repairs_total',
    help: 'Text fields repaired from double encoding (quality.normalized text_mojibake_repaired), by chain and field',
    labelNames: ['chain', 'field'],
    registers: [registry],
  });
}

/** Counts each repaired field of one processed document. */
export function countTextRepairs(counter: Counter<TextRepairLabel>, chain: string, document: unknown): void {
  for (const field of repairedTextFields(document)) counter.inc({ chain, field });
}
