import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, type BenchOptions } from './options';

/** The bench's own stack instance: its STACK_HOME and ports, never another instance's. */
export class BenchStack {
  readonly env: Record<string, string>;
  readonly brokers: string;
  readonly openSearchUrl: string;

  constructor(private readonly o: BenchOptions) {
    this.env = {
      STACK_HOME: o.stackHome,
      KAFKA_PORT: String(o.kafkaPort),
      KAFKA_CONTROLLER_PORT: String(o.kafkaPort + 1),
      OPENSEARCH_PORT: String(o.openSearchPort),
      OPENSEARCH_TRANSPORT_PORT: String(o.openSearchPort + 100),
    };
    this.brokers = `127.0.0.1:${o.kafkaPort}`;
    this.openSearchUrl = `http://127.0.0.1:${o.openSearchPort}`;
  }

  /** `stack/stack <args>`; resolves when it exits 0, output goes to our stderr. */
  run(...args: string[]): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(join(ROOT, 'stack', 'stack'), args, { env: { ...process.env, ...this.env }, stdio: ['ignore', 'inherit', 'inherit'] });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`stack/stack ${args.join(' ')} exited with ${code}`))));
    });
  }

  /** The JVM pid of one server, from the stack's pid file. */
  pid(server: 'kafka' | 'opensearch'): number | undefined {
    try {
      const pid = Number(readFileSync(join(this.o.stackHome, 'run', `${server}.pid`), 'utf8').trim());
      return Number.isInteger(pid) && pid > 0 ? pid : undefined;
    } catch {
      return undefined;
    }
  }
}

/** Versions pinned in stack/pom.xml. */
export function stackVersions(): { kafka: string; opensearch: string } {
  const pom = readFileSync(join(ROOT, 'stack', 'pom.xml'), 'utf8');
  const v = (name: string) => new RegExp(`<${name}\\.version>([^<]+)<`).exec(pom)?.[1] ?? 'unknown';
  return { kafka: v('kafka'), opensearch: v('opensearch') };
}

/** Stack JVMs of other instances running on this machine (they share our cores). */
export function otherStacks(stackHome: string): string[] {
  let out = '';
  try {
    out = execFileSync('pgrep', ['-af', 'streamdex\\.stack\\.'], { encoding: 'utf8' });
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
  const homes = new Set<string>();
  for (const m of out.matchAll(/-Dstreamdex\.stack\.(kafka|opensearch)=(\S+)/g)) {
    if (m[2] !== stackHome) homes.add(`${m[1]}@${m[2]}`);
  }
  return [...homes].sort();
}
