import { join, resolve } from 'node:path';
import { z } from 'zod';
import { parseFlags } from '../pipeline/config';

export const MEASUREMENTS = ['ceilings', 'stages', 'latency', 'memory', 'analytics', 'health', 'guarantee', 'peers', 'fields'] as const;
export type Measurement = (typeof MEASUREMENTS)[number];

export const ROOT = join(__dirname, '..', '..');

export const USAGE = `usage: npm run bench -- [options]
  --quick               smoke check (~3 min): fewer events, shorter phases
  --events N            events per throughput measurement (default 200000; quick 30000)
  --duration S          seconds of each fixed-rate latency phase (default 30; quick 10)
  --outage S            seconds OpenSearch stays down in the memory test (default 30)
  --only LIST           comma-separated subset of: ${MEASUREMENTS.join(', ')} (default all)
  --max-rate N          events/s taken as the maximum for latency phases (default: measured end to end)
  --out FILE            JSON result file (default bench/results/<timestamp>.json)
  --stack-home DIR      stack instance (default .stack-bench)
  --kafka-port N        (default 29092; controller port is N+1)
  --opensearch-port N   (default 29200; transport port is N+100)
  --keep-stack          leave the stack running afterwards (default: stop it, even on failure)
  --seed N              generator seed (default 1)
  --rounds N            peers phase: rounds of Streamdex and each peer, alternating (default 2)
  --wait-quiet MIN      first wait up to MIN minutes for a quiet machine: no other stack
                        instance running and a 1-minute load average below 0.5 (default 0)
  --help`;

const schema = z.object({
  quick: z.boolean(),
  events: z.coerce.number().int().min(1000).optional(),
  duration: z.coerce.number().positive().optional(),
  outage: z.coerce.number().positive().default(30),
  only: z
    .string()
    .default(MEASUREMENTS.join(','))
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.enum(MEASUREMENTS)).min(1)),
  'max-rate': z.coerce.number().positive().optional(),
  out: z.string().optional(),
  'stack-home': z.string().default(join(ROOT, '.stack-bench')),
  // Below Linux's ephemeral range (32768-60999): OpenSearch once failed to start on 49200
  // with 'Address already in use' because a client connection held it as its local port.
  'kafka-port': z.coerce.number().int().min(1024).max(65000).default(29092),
  'opensearch-port': z.coerce.number().int().min(1024).max(65000).default(29200),
  'keep-stack': z.boolean(),
  seed: z.coerce.number().int().default(1),
  rounds: z.coerce.number().int().min(1).default(2),
  'wait-quiet': z.coerce.number().min(0).default(0),
});

export interface BenchOptions {
  readonly quick: boolean;
  readonly events: number;
  readonly durationS: number;
  readonly outageS: number;
  readonly only: readonly Measurement[];
  readonly maxRate: number | undefined;
  readonly out: string;
  readonly stackHome: string;
  readonly kafkaPort: number;
  readonly openSearchPort: number;
  readonly keepStack: boolean;
  readonly seed: number;
  readonly rounds: number;
  readonly waitQuietMinutes: number;
}

export function parseBenchArgs(argv: string[], now = new Date()): BenchOptions | 'help' {
  const v = parseFlags(
    argv,
    {
      quick: { type: 'boolean', default: false },
      events: { type: 'string' },
      duration: { type: 'string' },
      outage: { type: 'string' },
      only: { type: 'string' },
      'max-rate': { type: 'string' },
      out: { type: 'string' },
      'stack-home': { type: 'string' },
      'kafka-port': { type: 'string' },
      'opensearch-port': { type: 'string' },
      'keep-stack': { type: 'boolean', default: false },
      seed: { type: 'string' },
      rounds: { type: 'string' },
      'wait-quiet': { type: 'string' },
    },
    schema,
  );
  if (v === 'help') return 'help';
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  return {
    quick: v.quick,
    events: v.events ?? (v.quick ? 30_000 : 200_000),
    durationS: v.duration ?? (v.quick ? 10 : 30),
    outageS: v.outage,
    only: v.only,
    maxRate: v['max-rate'],
    out: v.out ? resolve(v.out) : join(ROOT, 'bench', 'results', `${stamp}${v.quick ? '-quick' : ''}.json`),
    stackHome: resolve(v['stack-home']),
    kafkaPort: v['kafka-port'],
    openSearchPort: v['opensearch-port'],
    keepStack: v['keep-stack'],
    seed: v.seed,
    rounds: v.rounds,
    waitQuietMinutes: v['wait-quiet'],
  };
}
