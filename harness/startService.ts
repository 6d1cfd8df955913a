import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './repoRoot';
import { ServiceScript, type ServiceName } from './serviceScript';
import { nodeRuntimeOf } from './serviceList';
import { startProcess } from './startProcess';
import type { RunningProcess, ServiceOptions } from './types';

/** Every service started here that has not exited yet (see stopAll, killAll). */
export const liveServices = new Set<RunningProcess>();

/**
 * Runs one of the project's services from dist/ as its own process, as production does:
 * killing it is killing a process, not a promise, and with services.json's node runtime
 * (heap bounds, malloc arenas), so what tests and the bench measure is what ships; `nodeArgs`
 * and `env` come after it and win. Quiet (warn) and on a free metrics port unless `env` says
 * otherwise.
 */
export function startService(service: ServiceName, o: ServiceOptions = {}): RunningProcess {
  const script = ServiceScript[service];
  const path = join(REPO_ROOT, script);
  if (!existsSync(path)) throw new Error(`${script} is missing: run \`npm run build\` first`);
  const runtime = nodeRuntimeOf(script);
  const p = startProcess(process.execPath, [...runtime.args, ...(o.nodeArgs ?? []), path, ...(o.args ?? [])], {
    ...o,
    name: o.name ?? service,
    cwd: REPO_ROOT,
    env: { ...runtime.env, METRICS_PORT: '0', LOG_LEVEL: 'warn', ...o.env },
  });
  liveServices.add(p);
  void p.exited.then(() => liveServices.delete(p));
  return p;
}
