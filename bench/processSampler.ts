import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** Clock ticks per second of utime/stime in /proc/<pid>/stat (almost always 100). */
const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

export interface ProcSnapshot {
  /** utime + stime of the process, seconds. */
  readonly cpuSeconds: number;
  readonly rssBytes: number;
  /** VmHWM: the kernel's own peak resident set, so a peak between samples is not missed. */
  readonly peakRssBytes: number;
}

export function readProc(pid: number): ProcSnapshot | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: split after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
    return { cpuSeconds, rssBytes: kb('VmRSS'), peakRssBytes: kb('VmHWM') };
  } catch {
    return undefined; // exited
  }
}

/** Busy and total jiffies of all cores together, from the first line of /proc/stat. */
export function readMachineCpu(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const total = v.reduce((a, b) => a + b, 0);
  // idle + iowait: a core waiting on nothing or on the disk is not doing our work.
  return { busy: total - (v[3] ?? 0) - (v[4] ?? 0), total };
}

export interface ProcessUsage {
  readonly name: string;
  readonly pid: number;
  /** CPU seconds spent inside the measured window. */
  cpuSeconds: number;
  /** Highest RSS seen while sampling (VmHWM included), bytes. */
  peakRssBytes: number;
  /** Highest VmRSS sampled inside the window, bytes (VmHWM is lifetime, this is not). */
  windowPeakRssBytes: number;
}

export interface WindowUsage {
  readonly seconds: number;
  readonly processes: Record<string, ProcessUsage>;
  /** Mean share of all cores busy over the window, 0..1. */
  readonly machineBusy: number;
  /** Highest 1-second share of all cores busy, 0..1. */
  readonly machineBusyPeak: number;
  /** Share of all cores used by the tracked processes alone, 0..1: machineBusy minus everyone else. */
  readonly trackedBusy: number;
}

/**
 * Samples named processes every `intervalMs` between start() and stop(): CPU seconds used
 * in the window, peak RSS, and the whole machine's busy share from /proc/stat.
 */
export class ProcessSampler {
  private readonly pids = new Map<string, number>();
  private readonly start0 = new Map<string, ProcSnapshot>();
  private readonly last = new Map<string, ProcSnapshot>();
  private readonly windowPeak = new Map<string, number>();
  private readonly peak = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private t0 = 0;
  private cpu0 = readMachineCpu();
  private cpuPrev = readMachineCpu();
  private busyPeak = 0;

  constructor(private readonly intervalMs = 250) {}

  /** Adds a process; its CPU is counted from the moment it is added (or from 0 if `fromBirth`). */
  track(name: string, pid: number, fromBirth = false): void {
    this.pids.set(name, pid);
    const s = readProc(pid);
    if (s) {
      this.start0.set(name, fromBirth ? { ...s, cpuSeconds: 0 } : s);
      this.last.set(name, s);
    }
  }

  start(): void {
    this.t0 = performance.now();
    this.cpu0 = this.cpuPrev = readMachineCpu();
    let lastPeakAt = this.t0;
    this.timer = setInterval(() => {
      this.sample();
      const now = performance.now();
      if (now - lastPeakAt >= 1000) {
        const c = readMachineCpu();
        const d = c.total - this.cpuPrev.total;
        if (d > 0) this.busyPeak = Math.max(this.busyPeak, (c.busy - this.cpuPrev.busy) / d);
        this.cpuPrev = c;
        lastPeakAt = now;
      }
    }, this.intervalMs);
    this.timer.unref();
  }

  private sample(): void {
    for (const [name, pid] of this.pids) {
      const s = readProc(pid);
      if (!s) continue;
      if (!this.start0.has(name)) this.start0.set(name, { ...s, cpuSeconds: 0 });
      this.last.set(name, s);
      this.windowPeak.set(name, Math.max(this.windowPeak.get(name) ?? 0, s.rssBytes));
      this.peak.set(name, Math.max(this.peak.get(name) ?? 0, s.peakRssBytes, s.rssBytes));
    }
  }

  stop(): WindowUsage {
    if (this.timer) clearInterval(this.timer);
    this.sample();
    const c = readMachineCpu();
    const processes: Record<string, ProcessUsage> = {};
    for (const [name, pid] of this.pids) {
      const a = this.start0.get(name);
      const b = this.last.get(name);
      processes[name] = {
        name,
        pid,
        cpuSeconds: a && b ? b.cpuSeconds - a.cpuSeconds : 0,
        peakRssBytes: this.peak.get(name) ?? 0,
        windowPeakRssBytes: this.windowPeak.get(name) ?? 0,
      };
    }
    const total = c.total - this.cpu0.total;
    const seconds = (performance.now() - this.t0) / 1000;
    const cores = cpus().length;
    return {
      trackedBusy: Object.values(processes).reduce((a, p) => a + p.cpuSeconds, 0) / (cores * seconds),
      seconds,
      processes,
      machineBusy: total > 0 ? (c.busy - this.cpu0.busy) / total : 0,
      machineBusyPeak: this.busyPeak,
    };
  }
}
