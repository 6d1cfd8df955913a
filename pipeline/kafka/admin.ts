import { AdminClient, CODES, type IAdminClient, type LibrdKafkaError } from '@confluentinc/kafka-javascript';
import { kafkaError } from '../errors';
import type { ClientOptions } from './options';

export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
  readonly replicationFactor?: number;
  readonly config?: Readonly<Record<string, string>>;
}

/** Topic management. Creating a topic that exists is not an error: start-up is idempotent. */
export class KafkaAdmin {
  private readonly client: IAdminClient;

  constructor(options: ClientOptions) {
    this.client = AdminClient.create({
      'bootstrap.servers': options.brokers.join(','),
      'client.id': `${options.clientId ?? 'streamdex'}-admin`,
      ...(options.librdkafka ?? {}),
    });
  }

  /** Returns the names it created (existing topics are left as they are). */
  async createTopics(topics: readonly TopicSpec[], timeoutMs = 30_000): Promise<string[]> {
    const created: string[] = [];
    for (const t of topics) {
      const made = await new Promise<boolean>((resolve, reject) => {
        this.client.createTopic(
          {
            topic: t.name,
            num_partitions: t.partitions,
            replication_factor: t.replicationFactor ?? 1,
            config: { ...(t.config ?? {}) },
          },
          timeoutMs,
          (err: LibrdKafkaError) => {
            if (!err) return resolve(true);
            if (err.code === CODES.ERRORS.ERR_TOPIC_ALREADY_EXISTS) return resolve(false);
            reject(kafkaError(`could not create topic ${t.name}: ${err.message}`, err));
          },
        );
      });
      if (made) created.push(t.name);
    }
    return created;
  }

  async deleteTopics(names: readonly string[], timeoutMs = 30_000): Promise<void> {
    for (const name of names) {
      await new Promise<void>((resolve) => this.client.deleteTopic(name, timeoutMs, () => resolve()));
    }
  }

  listTopics(timeoutMs = 10_000): Promise<string[]> {
    return new Promise((resolve, reject) => {
      this.client.listTopics({ timeout: timeoutMs }, (err: LibrdKafkaError, topics: string[]) =>
        err ? reject(kafkaError(`could not list topics: ${err.message}`, err)) : resolve(topics),
      );
    });
  }

  close(): void {
    this.client.disconnect();
  }
}
