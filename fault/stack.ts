import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface StackConfig {
  readonly home: string;
  readonly kafkaPort: number;
  readonly kafkaControllerPort: number;
  readonly openSearchPort: number;
  readonly openSearchTransportPort: number;
}

export type Server = 'kafka' | 'opensearch';

/**
 * The suite's own instance of stack/stack (own STACK_HOME and ports), so it can stop and
 * restart servers without touching the stack other tests or people use.
 */
export class Stack {
  constructor(
    private readonly root: string,
    readonly config: StackConfig,
  ) {}

  get brokers(): string {
    return `127.0.0.1:${this.config.kafkaPort}`;
  }

  get openSearchUrl(): string {
    return `http://127.0.0.1:${this.config.openSearchPort}`;
  }

  up(server?: Server, openSearchSettings = ''): Promise<void> {
    return this.run(['up', ...(server ? [server] : [])], { OPENSEARCH_SETTINGS: openSearchSettings });
  }

  down(server?: Server): Promise<void> {
    return this.run(['down', ...(server ? [server] : [])]);
  }

  private run(args: string[], extra: Record<string, string> = {}): Promise<void> {
    const c = this.config;
    const env = {
      ...process.env,
      STACK_HOME: c.home,
      KAFKA_PORT: String(c.kafkaPort),
      KAFKA_CONTROLLER_PORT: String(c.kafkaControllerPort),
      OPENSEARCH_PORT: String(c.openSearchPort),
      OPENSEARCH_TRANSPORT_PORT: String(c.openSearchTransportPort),
      ...extra,
    };
    return new Promise((resolve, reject) => {
      const child = spawn('bash', [join(this.root, 'stack', 'stack'), ...args], { env, stdio: ['ignore', 'inherit', 'inherit'] });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`stack/stack ${args.join(' ')} exited ${code}`))));
    });
  }
}
