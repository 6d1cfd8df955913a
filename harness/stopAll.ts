import { signalProcess } from './signalProcess';
import { liveProcesses } from './startProcess';

/** SIGTERM to every process the harness started and that still runs; SIGKILL after `killAfterMs`. */
export async function stopAll(killAfterMs = 10_000): Promise<void> {
  await Promise.all([...liveProcesses].map((p) => signalProcess(p, 'SIGTERM', killAfterMs)));
}

/** SIGKILL to all of them at once, for a signal handler that cannot wait. */
export function killAll(): void {
  for (const p of liveProcesses) p.child.kill('SIGKILL');
}
