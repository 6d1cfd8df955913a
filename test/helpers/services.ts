import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

export const SERVICE = {
  processor: 'dist/consumer-processor/src/main.js',
  indexer: 'dist/consumer-indexer/src/main.js',
  producer: 'dist/producer/src/main.js',
  admin: 'dist/pipeline/admin/main.js',
} as const;

export interface RunningService {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

/**
 * Runs one of the project's real services as its own process (compiled by `npm run
 * build`), as it runs in production: killing it is killing a process, not a promise.
 */
export function startService(script: string, env: Record<string, string>, args: string[] = []): RunningService {
  const path = join(ROOT, script);
  if (!existsSync(path)) throw new Error(`${script} is missing: run \`npm run build\` first (npm test does)`);
  const child = spawn(process.execPath, [path, ...args], {
    cwd: ROOT,
    env: { ...process.env, METRICS_PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (b: Buffer) => {
    out += b.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

/** Runs a service to completion and returns its stdout's last line (our CLIs print a JSON summary there). */
export async function runToEnd(script: string, env: Record<string, string>, args: string[] = []): Promise<{ code: number | null; lastLine: string; output: string }> {
  const s = startService(script, env, args);
  let stdout = '';
  s.child.stdout!.on('data', (b: Buffer) => (stdout += b.toString()));
  const code = await s.exited;
  const lines = stdout.trim().split('\n');
  return { code, lastLine: lines[lines.length - 1] ?? '', output: s.output() };
}

export async function kill(s: RunningService, signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> {
  if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill(signal);
  return s.exited;
}
