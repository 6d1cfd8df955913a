import type { RunningProcess, SignalResult } from './types';

/**
 * Signals a process and waits until it is gone; with `killAfterMs`, one that is still
 * there by then gets SIGKILL. A process already gone is not signalled.
 */
export async function signalProcess(p: RunningProcess, signal: NodeJS.Signals, killAfterMs?: number): Promise<SignalResult> {
  const t0 = Date.now();
  if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill(signal);
  const timer = killAfterMs === undefined ? undefined : setTimeout(() => p.child.kill('SIGKILL'), killAfterMs);
  const code = await p.exited;
  clearTimeout(timer);
  return { code, ms: Date.now() - t0 };
}
