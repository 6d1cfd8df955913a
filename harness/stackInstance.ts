import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './repoRoot';
import { runCommand } from './runCommand';
import type { StackPorts, StackServer } from './types';

/**
 * One instance of stack/stack: its own STACK_HOME and ports, so a suite can stop and
 * restart servers without touching the stack other tests or people use.
 */
export class StackInstance {
  /** What stack/stack reads to address this instance. */
  readonly env: Record<string, string>;

  constructor(readonly config: StackPorts) {
    this.env = {
      STACK_HOME: config.home,
      KAFKA_PORT: String(config.kafkaPort),
      KAFKA_CONTROLLER_PORT: String(config.kafkaControllerPort),
      OPENSEARCH_PORT: String(config.openSearchPort),
      OPENSEARCH_TRANSPORT_PORT: String(config.openSearchTransportPort),
    };
  }

  get brokers(): string {
    return `127.0.0.1:${this.config.kafkaPort}`;
  }

  get openSearchUrl(): string {
    return `http://127.0.0.1:${this.config.openSearchPort}`;
  }

  /** Both servers, or one; `openSearchSettings`: extra opensearch.yml lines for this start only. */
  async up(server?: StackServer, openSearchSettings?: string): Promise<void> {
    await this.run(['up', ...(server ? [server] : [])], openSearchSettings === undefined ? {} : { OPENSEARCH_SETTINGS: openSearchSettings });
  }

  async down(server?: StackServer): Promise<void> {
    await this.run(['down', ...(server ? [server] : [])]);
  }

  /** The JVM pid of one server, from the stack's pid file. */
  pid(server: StackServer): number | undefined {
    try {
      const pid = Number(readFileSync(join(this.config.home, 'run', `${server}.pid`), 'utf8').trim());
      return Number.isInteger(pid) && pid > 0 ? pid : undefined;
    } catch {
      return undefined;
    }
  }

  /** Its output goes to ours: starting a server is slow and worth watching. */
  private run(args: string[], extra: Record<string, string> = {}): Promise<string> {
    return runCommand('bash', [join(REPO_ROOT, 'stack', 'stack'), ...args], { env: { ...this.env, ...extra }, inherit: true });
  }
}
