import { z } from 'zod';
import { ProcessingGuarantee, parseFlags } from '../pipeline/config';
import { scenarioIds } from './scenarios';

export const USAGE = `usage: npm run faults -- [options]
  --quick             the short suite CI runs (${15_000} events per scenario, fewer kills, shorter outages)
  --only A,B          run only these scenarios (${scenarioIds().join(', ')})
  --events N          events per scenario (default 100000, quick 15000)
  --rate N            producer events per second at normal load (default 2000)
  --partitions N      partitions of every topic (default 3)
  --seed N            seed of the producer and of the fault moments (default 42)
  --guarantee G       run every scenario under G (at_least_once or exactly_once) instead of its own
                      (default: each scenario's; all are at_least_once but kill-processor-eos and kill-analytics-eos)
  --json FILE         where to write the results as JSON (default fault-results-<full|quick>.json)
  --keep-stack        leave the suite's stack running at the end (for debugging)
Environment: FAULT_STACK_HOME (.stack-faults), FAULT_KAFKA_PORT (19092), FAULT_KAFKA_CONTROLLER_PORT (19093),
FAULT_OPENSEARCH_PORT (19200), FAULT_OPENSEARCH_TRANSPORT_PORT (19300): the suite's own stack instance.`;

export interface FaultOptions {
  readonly quick: boolean;
  readonly only: readonly string[];
  readonly events: number;
  readonly rate: number;
  readonly partitions: number;
  readonly seed: number;
  /** Overrides every scenario's own processing guarantee when set. */
  readonly guarantee: ProcessingGuarantee | undefined;
  readonly json: string;
  readonly keepStack: boolean;
}

const intFlag = (min: number) => z.coerce.number().int('must be a whole number').min(min).optional();

const schema = z.object({
  quick: z.boolean(),
  only: z
    .string()
    .optional()
    .transform((v) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : scenarioIds()))
    .refine((ids) => ids.every((id) => scenarioIds().includes(id)), { message: `unknown scenario; known: ${scenarioIds().join(', ')}` }),
  events: intFlag(100),
  rate: intFlag(1),
  partitions: intFlag(1),
  seed: intFlag(0),
  guarantee: z.enum([ProcessingGuarantee.AT_LEAST_ONCE, ProcessingGuarantee.EXACTLY_ONCE]).optional(),
  json: z.string().optional(),
  'keep-stack': z.boolean(),
});

export function parseFaultArgs(argv: string[]): FaultOptions | 'help' {
  const v = parseFlags(
    argv,
    {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      events: { type: 'string' },
      rate: { type: 'string', default: '2000' },
      partitions: { type: 'string', default: '3' },
      seed: { type: 'string', default: '42' },
      guarantee: { type: 'string' },
      json: { type: 'string' },
      'keep-stack': { type: 'boolean', default: false },
    },
    schema,
  );
  if (v === 'help') return 'help';
  return {
    quick: v.quick,
    only: v.only,
    events: v.events ?? (v.quick ? 15_000 : 100_000),
    rate: v.rate!,
    partitions: v.partitions!,
    seed: v.seed!,
    guarantee: v.guarantee,
    json: v.json ?? `fault-results-${v.quick ? 'quick' : 'full'}${v.guarantee ? `-${v.guarantee}` : ''}.json`,
    keepStack: v['keep-stack'],
  };
}
