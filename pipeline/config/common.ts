import { z } from 'zod';
import { envBool, envInt, envList } from './load';

/** Settings every service shares. Each one is documented in README.md#configuration. */
export const kafkaSettings = {
  /** Comma-separated bootstrap servers. */
  KAFKA_BROKERS: envList(['127.0.0.1:9092']).refine((l) => l.length > 0, 'needs at least one broker'),
  /** Client id prefix, shows in broker logs and consumer-group listings. */
  KAFKA_CLIENT_ID: z.string().default('streamdex'),
  /** PLAINTEXT for the dev stack; SASL_SSL for anything that holds real data. */
  KAFKA_SECURITY_PROTOCOL: z.enum(['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL']).default('PLAINTEXT'),
  KAFKA_SASL_MECHANISM: z.enum(['SCRAM-SHA-512', 'SCRAM-SHA-256', 'PLAIN']).default('SCRAM-SHA-512'),
  KAFKA_SASL_USERNAME: z.string().optional(),
  KAFKA_SASL_PASSWORD: z.string().optional(),
  /** A file holding the password (Docker/Kubernetes secrets); read once at start. */
  KAFKA_SASL_PASSWORD_FILE: z.string().optional(),
  /** PEM file of the CA that signed the brokers' certificates; default the system CAs. */
  KAFKA_SSL_CA_FILE: z.string().optional(),
};

export const openSearchSettings = {
  OPENSEARCH_URL: z.url({ message: 'must be a URL such as http://127.0.0.1:9200' }).default('http://127.0.0.1:9200'),
  OPENSEARCH_USERNAME: z.string().optional(),
  OPENSEARCH_PASSWORD: z.string().optional(),
  /** A file holding the password (Docker/Kubernetes secrets, the secured stack's); read once at start. */
  OPENSEARCH_PASSWORD_FILE: z.string().optional(),
  /** PEM file of the CA that signed OpenSearch's certificate; default the system CAs. */
  OPENSEARCH_CA_FILE: z.string().optional(),
  /** Skip certificate checks: never on a cluster that holds real data. */
  OPENSEARCH_TLS_INSECURE: envBool(false),
};

export const serviceSettings = {
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  /** HTTP port for /metrics (Prometheus) and /healthz; 0 disables it. */
  METRICS_PORT: envInt(9464, 0, 65535),
  /** Which chains this process runs: login, music, interactions (comma-separated) or all. */
  CHAINS: envList(['all']),
  /** How often the service samples its health and produces it to HEALTH_TOPIC; 0 disables. */
  HEALTH_INTERVAL_MS: envInt(5_000, 0, 600_000),
  /** Topic of the health records, before the namespace prefix. */
  HEALTH_TOPIC: z.string().regex(/^[a-zA-Z0-9._-]+$/, 'a Kafka topic name').default('streamdex-health'),
  /** Prefix of every topic, index and consumer group ("staging-"); lowercase. Default none. */
  STREAMDEX_NAMESPACE: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]*$/, 'lowercase letters, digits, ".", "_" and "-" only')
    .default(''),
};

/** Kafka Streams' names for the two delivery guarantees of a stage that writes to Kafka. */
export const ProcessingGuarantee = {
  AT_LEAST_ONCE: 'at_least_once',
  EXACTLY_ONCE: 'exactly_once',
} as const;
export type ProcessingGuarantee = (typeof ProcessingGuarantee)[keyof typeof ProcessingGuarantee];

/** The producer's default transactional ids start with this, after the namespace (the ACL plan grants the prefix). */
export const PRODUCER_TRANSACTIONAL_PREFIX = 'streamdex-producer';

/** Settings of every stage that writes to Kafka (producer, processor, analytics). */
export const guaranteeSettings = {
  /** exactly_once: each batch's outputs and input offsets in one Kafka transaction. */
  PROCESSING_GUARANTEE: z.enum([ProcessingGuarantee.AT_LEAST_ONCE, ProcessingGuarantee.EXACTLY_ONCE]).default(ProcessingGuarantee.AT_LEAST_ONCE),
  /**
   * The producer's transactional.id under exactly_once; unset, `<group>-<host>-<pid>`.
   * Unique per running instance; stable across restarts where the instance's name is.
   */
  TRANSACTIONAL_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,200}$/, 'letters, digits, ".", "_" and "-" only (at most 200)')
    .optional(),
};
