import { signalProcess } from './signalProcess';
import { liveServices } from './startService';

/** SIGTERM to every service startService started that still runs; SIGKILL after `killAfterMs`. */
export async function stopAll(killAfterMs = 10_000): Promise<void> {
  await Promise.all([...liveServices].map((p) => signalProcess(p, 'SIGTERM', killAfterMs)));
}

/** SIGKILL to all of them at once, for a signal handler that cannot wait. */
export function killAll(): void {
  for (const p of liveServices) p.child.kill('SIGKILL');
}
