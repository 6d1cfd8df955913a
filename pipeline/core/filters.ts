import { z } from 'zod';

/**
 * Operator-defined rules applied to enriched documents, first match wins:
 *   [{"chain":"login","field":"device_type","in":["unknown"],"action":"drop"},
 *    {"field":"geo.country","equals":"KP","action":"route","topic":"review-queue"}]
 * Rules match on the enriched document. `drop` acknowledges the record without output (counted
 * per rule); `route` sends the original record (raw key, value and headers, as consumed) to
 * the rule's topic instead of the processed topic; the enriched document is not sent.
 */
export const filterRuleSchema = z
  .object({
    name: z.string().optional(),
    chain: z.string().optional(),
    field: z.string().min(1),
    equals: z.union([z.string(), z.number(), z.boolean()]).optional(),
    in: z.array(z.union([z.string(), z.number(), z.boolean()])).optional(),
    exists: z.boolean().optional(),
    action: z.enum(['drop', 'route']),
    topic: z.string().min(1).optional(),
  })
  .strict()
  .refine((r) => r.equals !== undefined || r.in !== undefined || r.exists !== undefined, {
    message: 'a rule needs one of equals, in or exists',
  })
  .refine((r) => r.action !== 'route' || r.topic !== undefined, { message: 'a route rule needs a topic' });

export const filterRulesSchema = z.array(filterRuleSchema);
export type FilterRule = z.infer<typeof filterRuleSchema>;

export interface FilterMatch {
  readonly rule: string;
  readonly topic: string | null;
}

export function matchFilter(rules: readonly FilterRule[], chain: string, doc: object): FilterMatch | null {
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i]!;
    if (r.chain !== undefined && r.chain !== chain) continue;
    const v = readPath(doc, r.field);
    const hit =
      (r.exists !== undefined && (v !== undefined) === r.exists) ||
      (r.equals !== undefined && v === r.equals) ||
      (r.in !== undefined && r.in.includes(v as string | number | boolean));
    if (hit) return { rule: r.name ?? `rule[${i}]`, topic: r.action === 'route' ? (r.topic ?? null) : null };
  }
  return null;
}

function readPath(doc: object, path: string): unknown {
  let cur: unknown = doc;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}
