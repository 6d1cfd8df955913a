import type { ChildProcess } from 'node:child_process';

export interface StartProcessOptions {
  /** Added to this process's environment. */
  readonly env?: Record<string, string>;
  readonly cwd?: string;
  /** What the output tail and error messages call it. */
  readonly name?: string;
  /** Every complete line of output, as it comes (stdout and stderr). */
  readonly onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Raw output appended to this file as well. */
  readonly logFile?: string;
  /** Keep the whole stdout (a CLI's JSON summary is its last line), not only the tail. */
  readonly keepStdout?: boolean;
  /** Characters of combined output kept for diagnosis (default 200 000). */
  readonly outputLimit?: number;
  /** Output goes to ours instead of being captured. */
  readonly inherit?: boolean;
}

export interface RunningProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** 0 when it could not be started (`exited` then resolves at once). */
  readonly pid: number;
  /** Exit code, null when a signal ended it or it never started; resolves once its output is closed too. */
  readonly exited: Promise<number | null>;
  readonly startedAt: number;
  /** The last of its combined stdout and stderr. */
  output(): string;
  /** Its last `lines` lines of output. */
  tail(lines?: number): string;
  /** All of stdout with `keepStdout`, otherwise ''. */
  stdout(): string;
}

export interface ServiceOptions extends Omit<StartProcessOptions, 'cwd' | 'inherit'> {
  readonly args?: readonly string[];
  /** Node's own flags, before the script (e.g. --cpu-prof). */
  readonly nodeArgs?: readonly string[];
}

export interface SignalResult {
  readonly code: number | null;
  /** From the signal until the process was gone. */
  readonly ms: number;
}

export interface ProducerSummary {
  readonly sent: number;
  readonly acked: { readonly valid: number; readonly malformed: Record<string, number> };
  readonly failed: number;
  readonly elapsedMs: number;
  /** With --inject-*: every anomaly injected (all its records acknowledged). */
  readonly injected?: ReadonlyArray<{ rule: string; key: string; event_time: string; logins: number; dead_letters?: number; countries?: readonly string[] }>;
}

export interface StackPorts {
  /** STACK_HOME of this instance. */
  readonly home: string;
  readonly kafkaPort: number;
  readonly kafkaControllerPort: number;
  readonly openSearchPort: number;
  readonly openSearchTransportPort: number;
  /** Kafka nodes at start (STACK_BROKERS): 1, or a cluster; node N listens on kafkaPort + 2(N-1). */
  readonly brokers?: number;
}

/** Both servers' names, and one node of a Kafka cluster (`kafka` names every node). */
export type StackServer = 'kafka' | 'opensearch' | `kafka-${number}`;
