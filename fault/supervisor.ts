import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { signalProcess, startService, type RunningProcess, type SignalResult } from '../harness';
import { Role } from './scenarios';

export interface Instance extends RunningProcess {
  readonly role: Role;
  /** Set before the suite signals it, so its exit is not reported as unexpected. */
  expectedExit: boolean;
}

const SAMPLE_MS = 250;

/**
 * Runs the project's services as child processes, as in production: a kill is a kill of a
 * process. Samples every live instance's memory from /proc every 250 ms, keeps the peak
 * per role across restarts, and notices exits nobody asked for.
 */
export class Supervisor {
  readonly peakRss: Record<string, number> = {};
  readonly unexpectedExits: string[] = [];
  /** Bulk items the indexers said they will retry because OpenSearch answered 429. */
  retried429 = 0;
  retriedOther = 0;
  private readonly live = new Set<Instance>();
  private readonly counters: Record<string, number> = {};
  private readonly sampler: NodeJS.Timeout;
  private window: { role: Role; peak: number } | undefined;

  /**
   * `logDir`: every instance's output goes to <logDir>/<prefix><name>.log,
   * for digging into a failed scenario (with FAULT_SERVICE_LOG_LEVEL=info for more).
   */
  constructor(
    private readonly env: Record<string, string>,
    private readonly logDir?: { dir: string; prefix: string },
  ) {
    this.sampler = setInterval(() => this.sample(), SAMPLE_MS);
    if (logDir) mkdirSync(logDir.dir, { recursive: true });
  }

  start(role: Role, args: string[] = [], extraEnv: Record<string, string> = {}): Instance {
    const n = (this.counters[role] = (this.counters[role] ?? 0) + 1);
    const name = `${role}#${n}`;
    const p = startService(role, {
      name,
      args,
      env: { LOG_LEVEL: process.env.FAULT_SERVICE_LOG_LEVEL ?? 'warn', ...this.env, ...extraEnv },
      onLine: (line) => this.observe(line),
      // The producer's JSON summary is its last stdout line.
      keepStdout: role === Role.PRODUCER,
      ...(this.logDir ? { logFile: join(this.logDir.dir, `${this.logDir.prefix}${role}-${n}.log`) } : {}),
    });
    const instance: Instance = { ...p, role, expectedExit: false };
    this.live.add(instance);
    this.sampleOne(instance);
    void instance.exited.then((code) => {
      this.live.delete(instance);
      if (!instance.expectedExit && role !== Role.PRODUCER) {
        this.unexpectedExits.push(`${instance.name} exit ${code ?? p.child.signalCode}: ${deathNote(p.tail(50))}`);
      }
    });
    return instance;
  }

  instances(role: Role): Instance[] {
    return [...this.live].filter((i) => i.role === role);
  }

  /** Signals an instance and resolves with its exit code and how long it took to exit. */
  signal(instance: Instance, signal: NodeJS.Signals): Promise<SignalResult> {
    instance.expectedExit = true;
    return signalProcess(instance, signal);
  }

  /** Starts tracking the peak RSS of one role from now on (e.g. the indexer during an outage). */
  openWindow(role: Role): void {
    this.window = { role, peak: 0 };
    for (const i of this.instances(role)) this.sampleOne(i);
  }

  closeWindow(): number | undefined {
    const w = this.window;
    this.window = undefined;
    return w?.peak;
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.live].map((i) => this.signal(i, 'SIGKILL')));
    clearInterval(this.sampler);
  }

  private sample(): void {
    for (const i of this.live) this.sampleOne(i);
  }

  private sampleOne(i: Instance): void {
    const pid = i.pid;
    if (pid === 0) return;
    let status: string;
    try {
      status = readFileSync(`/proc/${pid}/status`, 'utf8');
    } catch {
      return;
    }
    // VmHWM is the process's own high-water mark, so a spike between two samples still counts.
    const hwm = kb(status, 'VmHWM');
    const rss = kb(status, 'VmRSS');
    this.peakRss[i.role] = Math.max(this.peakRss[i.role] ?? 0, hwm, rss);
    if (this.window && this.window.role === i.role) this.window.peak = Math.max(this.window.peak, rss);
  }

  private observe(line: string): void {
    if (!line.includes('bulk items will be retried')) return;
    try {
      const l = JSON.parse(line) as { items?: number; cause?: string };
      if (/429|rejected_execution/.test(l.cause ?? '')) this.retried429 += l.items ?? 0;
      else this.retriedOther += l.items ?? 0;
    } catch {
      // Not a log line of ours: ignore.
    }
  }
}

/**
 * Why a service died, whole: its last fatal log line (message and error chain), which is
 * the one that names the cause; else its last lines, for a crash that logged nothing.
 */
export function deathNote(tail: string): string {
  const lines = tail.split('\n').filter((l) => l.trim() !== '');
  for (let i = lines.length - 1; i >= 0; i--) {
    try {
      const l = JSON.parse(lines[i]!) as { level?: number | string; msg?: string; err?: { message?: string; code?: string } };
      if (l.level !== 60 && l.level !== 'fatal') continue;
      const err = l.err?.message && l.err.message !== l.msg ? ` (${l.err.code ? `${l.err.code}: ` : ''}${l.err.message})` : '';
      return `${l.msg ?? ''}${err}`;
    } catch {
      // Not a log line of ours.
    }
  }
  return lines.slice(-3).join(' | ');
}

function kb(status: string, field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return m ? Number(m[1]) * 1024 : 0;
}
