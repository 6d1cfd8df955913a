import { startProcess } from './startProcess';
import type { StartProcessOptions } from './types';

export interface CommandOptions extends Pick<StartProcessOptions, 'env' | 'cwd' | 'inherit'> {
  /** SIGKILLed after this long (default: no limit). */
  readonly timeoutMs?: number;
}

/** Runs a command to its end; resolves with its whole output when it exits 0, rejects otherwise. */
export async function runCommand(command: string, args: readonly string[], o: CommandOptions = {}): Promise<string> {
  const p = startProcess(command, args, { ...o, outputLimit: Number.POSITIVE_INFINITY });
  const timer = o.timeoutMs === undefined ? undefined : setTimeout(() => p.child.kill('SIGKILL'), o.timeoutMs);
  const code = await p.exited.finally(() => clearTimeout(timer));
  if (code !== 0) throw new Error(`${[command, ...args].join(' ')} exited with ${code ?? p.child.signalCode}:\n${p.output().slice(-3000)}`);
  return p.output();
}
