import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './repoRoot';
import { runCommand } from './runCommand';
import type { StackPorts, StackServer } from './types';

/**
 * One instance of stack/stack: its own STACK_HOME and ports, so a suite can stop and
 * restart servers without touching the stack other tests or people use. Its Kafka is one
 * broker or a cluster (`useBrokers`), node N on kafkaPort + 2(N-1) as stack/stack lays it out.
 */
export class StackInstance {
  private brokerNodes: number;

  constructor(readonly config: StackPorts) {
    this.brokerNodes = config.brokers ?? 1;
  }

  /** What stack/stack reads to address this instance. */
  get env(): Record<string, string> {
    return {
      STACK_HOME: this.config.home,
      STACK_BROKERS: String(this.brokerNodes),
      KAFKA_PORT: String(this.config.kafkaPort),
      KAFKA_CONTROLLER_PORT: String(this.config.kafkaControllerPort),
      OPENSEARCH_PORT: String(this.config.openSearchPort),
      OPENSEARCH_TRANSPORT_PORT: String(this.config.openSearchTransportPort),
    };
  }

  /** Number of Kafka nodes. */
  get brokerCount(): number {
    return this.brokerNodes;
  }

  /** Every node's client address (KAFKA_BROKERS). */
  get brokers(): string {
    return Array.from({ length: this.brokerNodes }, (_, i) => `127.0.0.1:${this.config.kafkaPort + 2 * i}`).join(',');
  }

  get openSearchUrl(): string {
    return `http://127.0.0.1:${this.config.openSearchPort}`;
  }

  /** The stack's name of the Kafka node with this node.id. */
  kafkaNode(nodeId: number): StackServer {
    return this.brokerNodes === 1 ? 'kafka' : `kafka-${nodeId}`;
  }

  /** Every Kafka node's name, by node id. */
  kafkaNodes(): StackServer[] {
    return Array.from({ length: this.brokerNodes }, (_, i) => this.kafkaNode(i + 1));
  }

  /**
   * Kafka as `n` nodes from now on: a running Kafka of another size is stopped and the new
   * one started (a single broker and a cluster keep their data apart, so both survive).
   */
  async useBrokers(n: number): Promise<void> {
    if (n === this.brokerNodes) return;
    await this.down('kafka');
    this.brokerNodes = n;
    await this.up('kafka');
  }

  /** Both servers, or one; `openSearchSettings`: extra opensearch.yml lines for this start only. */
  async up(server?: StackServer, openSearchSettings?: string): Promise<void> {
    await this.run(['up', ...(server ? [server] : [])], openSearchSettings === undefined ? {} : { OPENSEARCH_SETTINGS: openSearchSettings });
  }

  async down(server?: StackServer): Promise<void> {
    await this.run(['down', ...(server ? [server] : [])]);
  }

  /** The JVM pid of one server (one Kafka node), from the stack's pid file. */
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
