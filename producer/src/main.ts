import { z } from 'zod';
import { selectGeneration } from './chains';
import { PRODUCER_TRANSACTIONAL_PREFIX, ProcessingGuarantee, guaranteeSettings, kafkaSecurity, kafkaSettings, loadConfig, serviceSettings } from '../../pipeline/config';
import { AccessError, ConfigError, errorMessage } from '../../pipeline/errors';
import { KafkaProducer, TransactionalSender } from '../../pipeline/kafka';
import { defaultTransactionalId, ensureKafkaAccess } from '../../pipeline/service';
import { createLogger } from '../../pipeline/logger';
import { HealthReporter } from '../../pipeline/health';
import { createMetricsRegistry, recordOutcomes, startMetricsServer } from '../../pipeline/metrics';
import { USAGE, generationStart, parseProducerArgs } from './options';
import { runProducer, type ProducerStats } from './runProducer';
import { generatedRecords, replayRecords } from './sources';
import { anomaliesRequested, injectAnomalies, type Injection } from './anomalies';
import type { GeneratedRecord } from './chains';

export const settings = z.object({
  ...kafkaSettings,
  ...guaranteeSettings,
  LOG_LEVEL: serviceSettings.LOG_LEVEL,
  METRICS_PORT: serviceSettings.METRICS_PORT,
  STREAMDEX_NAMESPACE: serviceSettings.STREAMDEX_NAMESPACE,
  HEALTH_INTERVAL_MS: serviceSettings.HEALTH_INTERVAL_MS,
  HEALTH_TOPIC: serviceSettings.HEALTH_TOPIC,
});

async function main(argv: string[]): Promise<number> {
  const options = parseProducerArgs(argv);
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const env = loadConfig(settings);
  const logger = createLogger('producer', env.LOG_LEVEL);
  const chain = selectGeneration([options.chain], env.STREAMDEX_NAMESPACE, '--chain')[0]!;
  const topic = options.topic ?? chain.topics.inputs[0]!;
  if (options.topic && !chain.topics.inputs.includes(options.topic)) {
    throw new ConfigError('--topic', `${options.topic} is not an input of chain ${chain.name} (${chain.topics.inputs.join(', ')})`);
  }
  const dialect = options['eventsim-dialect'];
  if (dialect !== undefined && chain.name !== 'music') throw new ConfigError('--eventsim-dialect', `only the music chain speaks Eventsim, not ${chain.name}`);

  await ensureKafkaAccess(env, 'producer', { read: [], write: [topic, `${env.STREAMDEX_NAMESPACE}${env.HEALTH_TOPIC}`] }, logger);
  const client = { brokers: env.KAFKA_BROKERS, clientId: `${env.KAFKA_CLIENT_ID}-producer`, librdkafka: kafkaSecurity(env) };
  // exactly_once: the records in transactions, each counted acknowledged only once its
  // transaction committed, so the input holds each acknowledged record once.
  const transactionalId =
    env.PROCESSING_GUARANTEE === ProcessingGuarantee.EXACTLY_ONCE ? (env.TRANSACTIONAL_ID ?? defaultTransactionalId(`${env.STREAMDEX_NAMESPACE}${PRODUCER_TRANSACTIONAL_PREFIX}`)) : undefined;
  const producer = new KafkaProducer({ ...client, ...(transactionalId === undefined ? {} : { transactionalId }) });
  await producer.connect();
  const sender =
    transactionalId === undefined
      ? producer
      : new TransactionalSender({ producer, onRetry: (err, attempt) => logger.warn({ err: errorMessage(err), attempt }, 'transaction failed, its records go out again in the next one') });
  // A transactional producer refuses records outside a transaction: health samples go apart.
  const healthProducer = transactionalId === undefined ? producer : new KafkaProducer(client);
  if (healthProducer !== producer) await healthProducer.connect();
  const registry = createMetricsRegistry('producer');
  const server = await startMetricsServer(registry, env.METRICS_PORT, { healthy: () => !abort.signal.aborted });
  const records = recordOutcomes(registry, 'producer', 'Records the broker acknowledged (outcome valid or malformed, code the malformed kind) or refused (failed)');
  const health = new HealthReporter({
    service: 'producer',
    topic: `${env.STREAMDEX_NAMESPACE}${env.HEALTH_TOPIC}`,
    intervalMs: env.HEALTH_INTERVAL_MS,
    registry,
    producer: healthProducer,
    logger,
  });
  health.start();

  const abort = new AbortController();
  const onSignal = (signal: string) => {
    if (abort.signal.aborted) process.exit(130);
    logger.info({ signal }, 'stopping: flushing what was sent');
    abort.abort();
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));

  const start = generationStart(options, Date.now());
  const anomalyOptions = {
    chain: chain.name,
    loginBursts: options['inject-login-bursts'],
    burstSize: options['burst-size'],
    travels: options['inject-travels'],
    failedLogins: options['inject-failed-logins'],
    deadLetterSpikes: options['inject-dead-letter-spikes'],
    spikeSize: options['spike-size'],
    ...(dialect !== 'original' ? { authTopic: chain.topics.inputs.find((t) => t.endsWith('auth_events')) } : {}),
    every: options['inject-every'],
    seed: options['inject-seed'] ?? options.seed,
  };
  if (options.replay && anomaliesRequested(anomalyOptions)) throw new ConfigError('--inject-login-bursts', 'anomalies are injected into generated traffic, not into a replay');
  const injection = anomaliesRequested(anomalyOptions) ? (inner: Iterator<GeneratedRecord>) => injectAnomalies(inner, anomalyOptions) : undefined;
  let injected: Injection | undefined;
  const source = options.replay
    ? replayRecords(options.replay, topic)
    : generatedRecords(
        chain,
        { seed: options.seed, startTimeMs: start.startTimeMs, ...(options.shape ? { shape: options.shape } : {}), ...(dialect === undefined ? {} : { eventsimDialect: dialect }) },
        start.useClock,
        injection && ((inner) => (injected = injection(inner)).records),
      );

  logger.info(
    { chain: chain.name, rate: options.rate, pace: options.pace, seed: options.seed, malformedRatio: options['malformed-ratio'], guarantee: env.PROCESSING_GUARANTEE, ...(transactionalId ? { transactionalId } : {}) },
    'producing',
  );
  let stats: ProducerStats;
  try {
    stats = await runProducer(
      {
        rate: options.rate,
        pace: options.pace,
        speed: options.speed,
        count: options.count,
        durationMs: options.duration === undefined ? undefined : options.duration * 1000,
        seed: options.seed,
        malformedRatio: options['malformed-ratio'],
        progressMs: options['progress-seconds'] * 1000,
      },
      {
        producer: sender,
        chain,
        source,
        signal: abort.signal,
        mixMalformed: !options.replay,
        onDelivered: (kind, ok) =>
          records.inc({ chain: chain.name, outcome: !ok ? 'failed' : kind === 'valid' ? 'valid' : 'malformed', code: ok && kind !== 'valid' ? kind : '' }),
        ...(injected ? { intact: injected.isInjected, onAcked: injected.acked } : {}),
        progress: (s, rate) =>
          process.stderr.write(`producer: sent ${s.sent}  acked ${s.acked.valid + sum(s.acked.malformed)}  failed ${s.failed}  ${Math.round(rate)}/s\n`),
      },
    );
  } finally {
    await health.stop();
    await producer.close();
    if (healthProducer !== producer) await healthProducer.close();
    server?.close();
  }
  // The summary is the one line on stdout, as JSON, for scripts and tests.
  process.stdout.write(`${JSON.stringify({ chain: chain.name, ...stats, ...(injected ? { injected: injected.injected() } : {}) })}\n`);
  return stats.failed > 0 ? 1 : 0;
}

function sum(o: Record<string, number>): number {
  return Object.values(o).reduce((a, b) => a + b, 0);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      if (err instanceof ConfigError) {
        // The usage helps with a flag, not with a setting of the environment.
        process.stderr.write(`configuration error: ${err.message}\n${err.setting.startsWith('-') ? `${USAGE}\n` : ''}`);
        process.exit(2);
      }
      if (err instanceof AccessError) {
        process.stderr.write(`access error: ${err.message}\n`);
        process.exit(3);
      }
      process.stderr.write(`producer failed: ${errorMessage(err)}\n`);
      process.exit(1);
    },
  );
}
