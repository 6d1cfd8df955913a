import { parseArgs } from 'node:util';
import { scenarioIds } from './scenarios';

export const USAGE = `usage: npm run faults -- [options]
  --quick             the short suite CI runs (${15_000} events per scenario, fewer kills, shorter outages)
  --only A,B          run only these scenarios (${scenarioIds().join(', ')})
  --events N          events per scenario (default 100000, quick 15000)
  --rate N            producer events per second at normal load (default 2000)
  --partitions N      partitions of every topic (default 3)
  --seed N            seed of the producer and of the fault moments (default 42)
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
  readonly json: string;
  readonly keepStack: boolean;
}

export function parseFaultArgs(argv: string[]): FaultOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      events: { type: 'string' },
      rate: { type: 'string', default: '2000' },
      partitions: { type: 'string', default: '3' },
      seed: { type: 'string', default: '42' },
      json: { type: 'string' },
      'keep-stack': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return 'help';
  const quick = values.quick === true;
  const only = values.only ? values.only.split(',').map((s) => s.trim()).filter(Boolean) : scenarioIds();
  const unknown = only.filter((id) => !scenarioIds().includes(id));
  if (unknown.length) throw new Error(`--only: unknown scenario ${unknown.join(', ')} (known: ${scenarioIds().join(', ')})`);
  const int = (name: string, v: string | undefined, fallback: number, min: number) => {
    const n = v === undefined ? fallback : Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name}: must be an integer >= ${min}, got ${v}`);
    return n;
  };
  return {
    quick,
    only,
    events: int('events', values.events, quick ? 15_000 : 100_000, 100),
    rate: int('rate', values.rate, 2000, 1),
    partitions: int('partitions', values.partitions, 3, 1),
    seed: int('seed', values.seed, 42, 0),
    json: values.json ?? `fault-results-${quick ? 'quick' : 'full'}.json`,
    keepStack: values['keep-stack'] === true,
  };
}
