import { Counter, type Registry } from 'prom-client';

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

/** Counts each repaired field of one processed document (see repairedTextFields in pipeline/enrich). */
export function countTextRepairs(counter: Counter<TextRepairLabel>, chain: string, fields: readonly string[]): void {
  for (const field of fields) counter.inc({ chain, field });
}
