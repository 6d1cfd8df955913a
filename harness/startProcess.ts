import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import type { RunningProcess, StartProcessOptions } from './types';

/**
 * Starts a real process (node:child_process: execa 9 is ESM-only and this project is
 * CommonJS under jest) and keeps the tail of its output for diagnosing a failure.
 */
export function startProcess(command: string, args: readonly string[], o: StartProcessOptions = {}): RunningProcess {
  const limit = o.outputLimit ?? 200_000;
  const child = spawn(command, args, {
    cwd: o.cwd,
    env: { ...process.env, ...o.env },
    stdio: o.inherit ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let stdout = '';
  const collect = (stream: 'stdout' | 'stderr') => {
    let partial = '';
    return (b: Buffer) => {
      if (o.logFile) appendFileSync(o.logFile, b);
      const text = b.toString();
      out += text;
      if (out.length > limit) out = out.slice(-Math.floor(limit / 2));
      if (stream === 'stdout' && o.keepStdout) stdout += text;
      if (!o.onLine) return;
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) o.onLine(line, stream);
    };
  };
  child.stdout?.on('data', collect('stdout'));
  child.stderr?.on('data', collect('stderr'));
  const name = o.name ?? command;
  // 'close' comes after 'exit' and after 'error' when it could not start, with all output read.
  const exited = new Promise<number | null>((resolve) => {
    child.on('error', (err) => {
      out += `\n${name}: ${err.message}\n`;
    });
    // Without a pid it never started: exitCode then holds the spawn errno, not an exit code.
    child.on('close', () => resolve(child.pid === undefined ? null : child.exitCode));
  });
  const p: RunningProcess = {
    name,
    child,
    pid: child.pid ?? 0,
    exited,
    startedAt: Date.now(),
    output: () => out,
    tail: (lines = 40) => out.trimEnd().split('\n').slice(-lines).join('\n'),
    stdout: () => stdout,
  };
  return p;
}
