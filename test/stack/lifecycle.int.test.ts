/**
 * Lifecycle of the Docker-free local stack (stack/stack), checked on a second instance of
 * its own: a temporary STACK_HOME and ports 19092/19093 (Kafka) and 19200/19300
 * (OpenSearch), so the main stack that the other integration tests use keeps running
 * untouched. Each server of an instance carries -Dstreamdex.stack.<server>=<STACK_HOME>
 * on its command line; that marker is how these tests (and `stack down`) find its processes.
 *
 * The tests run in order and share the instance; afterAll stops and deletes it whatever
 * happened.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '..', '..');
const stackScript = path.join(repoRoot, 'stack', 'stack');

const ports = { kafka: 19092, kafkaController: 19093, opensearch: 19200, opensearchTransport: 19300 };
const servers = ['kafka', 'opensearch'] as const;
type Server = (typeof servers)[number];

// realpath: the script canonicalises STACK_HOME, and the markers carry the canonical path.
// 0755: OpenSearch runs as an unprivileged user when the tests run as root, and must be able
// to reach its data below this folder (mkdtemp creates it 0700).
const stackHome = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'streamdex-stack-test-')));
chmodSync(stackHome, 0o755);

const env: NodeJS.ProcessEnv = {
  ...process.env,
  STACK_HOME: stackHome,
  KAFKA_PORT: String(ports.kafka),
  KAFKA_CONTROLLER_PORT: String(ports.kafkaController),
  OPENSEARCH_PORT: String(ports.opensearch),
  OPENSEARCH_TRANSPORT_PORT: String(ports.opensearchTransport),
  KAFKA_HEAP: '-Xms128m -Xmx256m',
  OPENSEARCH_HEAP: '512m',
};

interface Run {
  code: number | null;
  output: string;
}

function stack(command: string, timeoutMs = 240_000, extraEnv: NodeJS.ProcessEnv = {}): Run {
  const result = spawnSync(stackScript, command.split(' '), { env: { ...env, ...extraEnv }, encoding: 'utf8', timeout: timeoutMs, stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.error) throw result.error;
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Pids of this instance's processes of one server, found by the marker on their command line. */
function markerPids(server: Server, home = stackHome): number[] {
  const pattern = `-Dstreamdex\\.stack\\.${server}=${escapeRegExp(home)}( |$)`;
  const result = spawnSync('pgrep', ['-f', '--', pattern], { encoding: 'utf8' });
  return result.stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map(Number)
    .filter((pid) => isRunning(pid));
}

/** Alive and not a zombie waiting to be reaped. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function pidFromFile(server: Server): number {
  return Number(readFileSync(path.join(stackHome, 'run', `${server}.pid`), 'utf8').trim());
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return condition();
}

/** Processes of other instances (the main stack, say) that must survive this test's `down`. */
function otherInstancesPids(): number[] {
  const result = spawnSync('pgrep', ['-f', '--', '-Dstreamdex\\.stack\\.(kafka|opensearch)='], { encoding: 'utf8' });
  const ours = new Set([...markerPids('kafka'), ...markerPids('opensearch')]);
  return result.stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map(Number)
    .filter((pid) => !ours.has(pid) && isRunning(pid));
}

describe('the local stack script on a second instance with its own home and ports', () => {
  let othersBefore: number[] = [];

  beforeAll(() => {
    othersBefore = otherInstancesPids();
  });

  afterAll(() => {
    try {
      stack('down', 120_000);
    } finally {
      for (const server of servers) {
        for (const pid of markerPids(server)) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // already gone
          }
        }
      }
      rmSync(stackHome, { recursive: true, force: true });
    }
  }, 180_000);

  it('starts Kafka and OpenSearch with up and waits until both answer', async () => {
    const run = stack('up');
    expect(run.output).toContain(`kafka ready on 127.0.0.1:${ports.kafka}`);
    expect(run.code).toBe(0);

    const response = await fetch(`http://127.0.0.1:${ports.opensearch}/`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { version?: { number?: string } };
    expect(body.version?.number).toMatch(/^3\./);
  }, 300_000);

  it('runs up a second time without error and without starting second processes', () => {
    const before = { kafka: pidFromFile('kafka'), opensearch: pidFromFile('opensearch') };

    const run = stack('up');
    expect(run.code).toBe(0);
    expect(run.output).toContain(`kafka already running (pid ${before.kafka})`);
    expect(run.output).toContain(`opensearch already running (pid ${before.opensearch})`);

    expect(markerPids('kafka')).toEqual([before.kafka]);
    expect(markerPids('opensearch')).toEqual([before.opensearch]);
    expect(pidFromFile('kafka')).toBe(before.kafka);
    expect(pidFromFile('opensearch')).toBe(before.opensearch);
  }, 300_000);

  it('reports both servers up in status and exits 0', () => {
    const run = stack('status', 60_000);
    expect(run.output).toMatch(new RegExp(`^kafka: up .*127\\.0\\.0\\.1:${ports.kafka}`, 'm'));
    expect(run.output).toMatch(new RegExp(`^opensearch: up .*127\\.0\\.0\\.1:${ports.opensearch}`, 'm'));
    expect(run.code).toBe(0);
  });

  it('reports OpenSearch down in status and exits non-zero once its process is killed', async () => {
    const pid = pidFromFile('opensearch');
    expect(isRunning(pid)).toBe(true);
    process.kill(pid, 'SIGKILL');
    expect(await waitUntil(() => !isRunning(pid), 15_000)).toBe(true);

    const run = stack('status', 60_000);
    expect(run.output).toMatch(/^opensearch: down .*is not running/m);
    expect(run.output).toMatch(/^kafka: up /m);
    expect(run.code).not.toBe(0);
  });

  it('starts only OpenSearch with up opensearch, with extra settings, and leaves the running broker alone', async () => {
    const kafkaPid = pidFromFile('kafka');
    const run = stack('up opensearch', 240_000, { OPENSEARCH_SETTINGS: 'thread_pool.write.queue_size: 7' });
    expect(run.code).toBe(0);
    expect(run.output).not.toContain('kafka');
    expect(markerPids('kafka')).toEqual([kafkaPid]);

    // curl, not fetch: fetch would reuse its pooled connection to the OpenSearch killed above.
    const nodes = spawnSync('curl', ['-fsS', `http://127.0.0.1:${ports.opensearch}/_nodes/thread_pool?filter_path=**.write.queue_size`], { encoding: 'utf8' });
    expect(nodes.stdout).toContain('"queue_size":7');
  }, 300_000);

  it('stops only the broker with down kafka, keeping the ports for the next up', () => {
    const openSearchPid = pidFromFile('opensearch');
    const run = stack('down kafka', 120_000);
    expect(run.code).toBe(0);
    expect(markerPids('kafka')).toEqual([]);
    expect(markerPids('opensearch')).toEqual([openSearchPid]);

    const status = stack('status', 60_000);
    expect(status.output).toMatch(/^kafka: down/m);
    expect(status.output).toMatch(/^opensearch: up /m);
  }, 180_000);

  it('refuses a server name it does not know, naming it', () => {
    const run = stack('down zookeeper', 30_000);
    expect(run.code).not.toBe(0);
    expect(run.output).toContain("unknown server 'zookeeper'");
  });

  it('leaves no Kafka or OpenSearch process of the instance behind after down', async () => {
    const up = stack('up kafka');
    expect({ code: up.code, output: up.output }).toEqual({ code: 0, output: expect.stringContaining('kafka ready') });
    expect(markerPids('kafka')).not.toEqual([]);

    const run = stack('down', 120_000);
    expect(run.code).toBe(0);

    // is_alive in the script and here both ignore zombies, so this is immediate; the wait
    // only covers a slow reaper.
    await waitUntil(() => markerPids('kafka').length === 0 && markerPids('opensearch').length === 0, 10_000);
    expect(markerPids('kafka')).toEqual([]);
    expect(markerPids('opensearch')).toEqual([]);

    const status = stack('status', 60_000);
    expect(status.code).not.toBe(0);
    expect(status.output).toMatch(/^kafka: down/m);
    expect(status.output).toMatch(/^opensearch: down/m);
  }, 180_000);

  it('does not stop the processes of other instances, such as the main stack', () => {
    expect(othersBefore.filter((pid) => !isRunning(pid))).toEqual([]);
  });
});
