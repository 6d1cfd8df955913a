import { startService } from './startService';
import type { ServiceName } from './serviceScript';
import type { RunningProcess, ServiceOptions } from './types';

export interface Finished {
  readonly code: number | null;
  /** stdout's last line: the project's CLIs print their JSON summary there. */
  readonly lastLine: string;
  readonly process: RunningProcess;
}

/** Runs a service (a CLI: producer, admin) to its exit. */
export async function runToEnd(service: ServiceName, o: ServiceOptions = {}, onStart?: (p: RunningProcess) => void): Promise<Finished> {
  const p = startService(service, { ...o, keepStdout: true });
  onStart?.(p);
  const code = await p.exited;
  const lines = p.stdout().trim().split('\n');
  return { code, lastLine: lines[lines.length - 1] ?? '', process: p };
}
