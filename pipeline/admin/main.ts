import { z } from 'zod';
import { INDEXING } from '../chains/indexing';
import { selectTopics } from '../chains/topics';
import { envBool, envInt, kafkaSecurity, kafkaSettings, loadConfig, serviceSettings } from '../config';
import { errorMessage } from '../errors';
import { KafkaAdmin } from '../kafka';
import { createLogger } from '../logger';
import { retry } from '../retry';
import { selectAnalytics } from '../chains/analytics';
import { aclArgs, streamdexAclPlan } from './aclPlan';
import { analyticsTopics, chainTopics, healthTopic, replicated } from './topics';

export const settings = z.object({
  ...kafkaSettings,
  LOG_LEVEL: serviceSettings.LOG_LEVEL,
  CHAINS: serviceSettings.CHAINS,
  STREAMDEX_NAMESPACE: serviceSettings.STREAMDEX_NAMESPACE,
  HEALTH_TOPIC: serviceSettings.HEALTH_TOPIC,
  /** Partitions of every topic: the most consumers a group can usefully run. */
  TOPIC_PARTITIONS: envInt(3, 1, 1000),
  /** Copies of every partition; at most the number of brokers (3 on the local cluster). */
  TOPIC_REPLICATION_FACTOR: envInt(1, 1, 32),
  /** Replicas that must have a write before acks=all succeeds; 2 of 3 lets one broker be down. */
  TOPIC_MIN_INSYNC_REPLICAS: envInt(1, 1, 32),
  /** How long create-topics waits for the broker before giving up. */
  ADMIN_WAIT_SECONDS: envInt(90, 0, 3600),
  /** Also the analytics stage's topics (aggregates, alerts). */
  ANALYTICS: envBool(false),
}).refine((s) => s.TOPIC_MIN_INSYNC_REPLICAS <= s.TOPIC_REPLICATION_FACTOR, {
  // More in-sync replicas than copies: every acks=all write would be refused.
  path: ['TOPIC_MIN_INSYNC_REPLICAS'],
  message: 'must not exceed TOPIC_REPLICATION_FACTOR',
});

const USAGE = `usage: admin <command>
  create-topics   create every chain's topics (idempotent)
  list-chains     print the chains and their topics
  acls            print the services' least-privilege ACLs, one kafka-acls argument line each`;

async function main(argv: string[]): Promise<number> {
  const logger = createLogger('admin');
  const command = argv[0];
  if (command === 'list-chains') {
    for (const c of INDEXING) process.stdout.write(`${c.name}: ${c.topics.inputs.join(', ')} -> ${c.topics.output} (dead letters: ${c.topics.deadLetter}) -> ${c.index.alias}\n`);
    return 0;
  }
  if (command === 'acls') {
    const env = loadConfig(settings);
    for (const g of streamdexAclPlan(env)) process.stdout.write(`${aclArgs(g).join(' ')}\n`);
    return 0;
  }
  if (command !== 'create-topics') {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const s = loadConfig(settings);
  logger.level = s.LOG_LEVEL;
  const chainSpecs = [...chainTopics(selectTopics(s.CHAINS, s.STREAMDEX_NAMESPACE), s.TOPIC_PARTITIONS), healthTopic(s.STREAMDEX_NAMESPACE, s.HEALTH_TOPIC, s.TOPIC_PARTITIONS)];
  if (s.ANALYTICS) chainSpecs.push(...analyticsTopics(selectAnalytics(s.CHAINS, s.STREAMDEX_NAMESPACE), s.STREAMDEX_NAMESPACE, s.TOPIC_PARTITIONS));
  const topics = replicated(chainSpecs, { factor: s.TOPIC_REPLICATION_FACTOR, minInsync: s.TOPIC_MIN_INSYNC_REPLICAS });
  const admin = new KafkaAdmin({ brokers: s.KAFKA_BROKERS, clientId: s.KAFKA_CLIENT_ID, librdkafka: kafkaSecurity(s) });
  try {
    const created = await retry(() => admin.createTopics(topics, 10_000), {
      initialMs: 500,
      maxMs: 5000,
      deadlineMs: s.ADMIN_WAIT_SECONDS * 1000,
      onRetry: (err, _attempt, delay) => logger.warn({ err: errorMessage(err), delay }, 'broker not ready, retrying'),
    });
    logger.info({ created, existing: topics.length - created.length }, 'topics ready');
    return 0;
  } finally {
    admin.close();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`admin failed: ${errorMessage(err)}\n`);
      process.exit(1);
    },
  );
}
