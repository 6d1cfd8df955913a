/**
 * One list of services: ./streamdex (local mode) runs what services.json says, and
 * docker-compose.yml runs the same commands with the same settings. Nothing is started.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { compose, repoRoot, type ComposeFile } from './composeFile';
import { listedCommand, listedEnv, loadServiceList, serviceListDifferences, serviceListSchema, type ServiceEntry } from './serviceList';

const list = loadServiceList();
const streamdexPath = path.join(repoRoot, 'streamdex');

/** ./streamdex with an environment free of the settings services.json gives, so only the file counts. */
function streamdex(args: string[], extraEnv: Record<string, string> = {}) {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extraEnv };
  for (const key of ['CHAINS', 'IP_MODE', 'METRICS_PORT', 'STREAMDEX_MODE']) if (!(key in extraEnv)) delete env[key];
  const result = spawnSync('bash', [streamdexPath, ...args], { cwd: repoRoot, encoding: 'utf8', env });
  if (result.error) throw result.error;
  return result;
}

describe('services.json', () => {
  it('names for each service a script that the build compiles from a source in this repository', () => {
    const missing = list.services
      .map((s) => path.join(repoRoot, s.script.replace(/^dist\//, '').replace(/\.js$/, '.ts')))
      .filter((source) => !existsSync(source));
    expect(missing).toEqual([]);
  });

  it('rejects a list with a reused metrics port or an argument ./streamdex would split', () => {
    const [first, second] = list.services.filter((s) => s.run === 'always');
    const broken = {
      ...list,
      services: [{ ...first, args: ['--rate 10'] }, { ...second, metricsPort: first!.metricsPort }],
    };
    const messages = (serviceListSchema.safeParse(broken).error?.issues ?? []).map((i) => i.message);
    expect(messages).toEqual(['no whitespace: ./streamdex splits on it', `metricsPort used twice: ${first!.metricsPort}`]);
  });
});

describe('docker-compose.yml and services.json', () => {
  it('run the same services with the same commands and settings', () => {
    expect(serviceListDifferences(compose, list)).toEqual([]);
  });

  it('differ as soon as compose drops a flag, sets another value or adds a service', () => {
    const drifted = structuredClone(compose) as ComposeFile;
    const interactions = drifted.services['producer-interactions']!;
    interactions.command = ['node', 'dist/producer/src/main.js', '--chain', 'interactions', '--rate', '10'];
    (drifted.services['consumer-processor']!.environment as Record<string, string>).IP_MODE = 'keep';
    drifted.services['producer-extra'] = { ...interactions };
    expect(serviceListDifferences(drifted, list)).toEqual([
      'producer-extra: in docker-compose.yml, not in services.json',
      'consumer-processor: compose sets {"CHAINS":"login,music,interactions,profiles","IP_MODE":"keep","MALLOC_ARENA_MAX":"2"}, services.json {"CHAINS":"login,music,interactions,profiles","IP_MODE":"mask","MALLOC_ARENA_MAX":"2"}',
      'producer-interactions: compose runs "node dist/producer/src/main.js --chain interactions --rate 10", ' +
        'services.json "node --max-old-space-size=128 --max-semi-space-size=16 dist/producer/src/main.js --chain interactions --rate 10 --malformed-ratio 0.01"',
    ]);
  });
});

describe('./streamdex', () => {
  const command = (s: ServiceEntry) => listedCommand(list, s).join(' ');
  const envPairs = (s: ServiceEntry) => Object.entries(listedEnv(list, s)).map(([k, v]) => `${k}=${v}`);

  it('lists the services of services.json (./streamdex services)', () => {
    const result = streamdex(['services']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const dash = (v: string) => (v === '' ? '-' : v);
    const expected = list.services.map((s) =>
      [s.name, s.run, String(s.local), s.compose, s.metricsPort ?? '-', dash(envPairs(s).join(' ')), command(s)].join('\t'),
    );
    expect(result.stdout.trimEnd().split('\n')).toEqual(expected);
  });

  it('runs in local mode the jobs, then the services, with their settings and metrics ports (up --dry-run)', () => {
    const result = streamdex(['up', '--dry-run']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const local = list.services.filter((s) => s.local);
    const line = (s: ServiceEntry) => {
      const env = [...envPairs(s), ...(s.metricsPort ? [`METRICS_PORT=${s.metricsPort}`] : [])];
      return `${s.name}${s.run === 'always' ? ' &' : ''}: ${['env', ...env, command(s)].join(' ')}`;
    };
    const expected = [...local.filter((s) => s.run === 'once'), ...local.filter((s) => s.run === 'always')].map(line);
    expect(result.stdout.trimEnd().split('\n')).toEqual(expected);
  });

  it('lets a setting exported in the shell win over the listed one, as before the list existed', () => {
    const processor = streamdex(['up', '--dry-run'], { CHAINS: 'login' }).stdout.split('\n').find((l) => l.startsWith('processor &:'));
    expect(processor).toBe(
      'processor &: env MALLOC_ARENA_MAX=2 CHAINS=login IP_MODE=mask METRICS_PORT=9464 node --max-old-space-size=128 --max-semi-space-size=16 dist/consumer-processor/src/main.js',
    );
  });

  it('names no service itself, so services.json is the only list', () => {
    const code = readFileSync(streamdexPath, 'utf8')
      .split('\n')
      .filter((l) => !l.trimStart().startsWith('#'))
      .join('\n');
    const named = list.services.filter((s) => new RegExp(`\\b${s.name}\\b`).test(code)).map((s) => s.name);
    expect(named).toEqual([]);
  });
});
