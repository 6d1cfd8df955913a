/**
 * README.md's configuration table, written from the services' settings schemas:
 *
 *   npm run docs:config     rewrites the table between the config-table markers
 *
 * Names, defaults and which service reads a setting come from the schemas; only the notes
 * are written here. test/scripts/configTable.test.ts fails when README.md is not current,
 * so a setting cannot be added, dropped or given another default without the table.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { analyticsSettings } from '../consumer-analytics/src/options';
import { indexerSettings } from '../consumer-indexer/src/options';
import { processorSettings } from '../consumer-processor/src/options';
import { importSettings } from '../dashboards/import';
import { settings as adminSettings } from '../pipeline/admin/main';
import { guaranteeSettings, kafkaSettings, openSearchSettings, serviceSettings } from '../pipeline/config';
import { settings as producerSettings } from '../producer/src/main';
import { withSection } from './readmeSection';

export interface SettingsSource {
  /** How the table's "read by" column names the service. */
  readonly user: string;
  readonly shape: Readonly<Record<string, z.ZodType>>;
}

export const settingsSources: readonly SettingsSource[] = [
  { user: 'processor', shape: processorSettings.shape },
  { user: 'indexer', shape: indexerSettings.shape },
  { user: 'analytics', shape: analyticsSettings.shape },
  { user: 'producer', shape: producerSettings.shape },
  { user: 'admin', shape: adminSettings.shape },
  { user: 'dashboards import', shape: importSettings.shape },
];

/** The shared fragments: each of their settings has to be read by some service. */
export const sharedSettings: readonly string[] = Object.keys({ ...kafkaSettings, ...openSearchSettings, ...serviceSettings, ...guaranteeSettings });

export interface ConfigRow {
  /** Settings documented together in one row; they must be read by the same services. */
  readonly settings: readonly string[];
  readonly note: string;
}

export const configRows: readonly ConfigRow[] = [
  { settings: ['KAFKA_BROKERS'], note: 'comma-separated bootstrap servers' },
  { settings: ['KAFKA_CLIENT_ID'], note: 'client id prefix in broker logs and consumer-group listings' },
  { settings: ['KAFKA_SECURITY_PROTOCOL'], note: '`PLAINTEXT` (dev stack), `SSL`, `SASL_PLAINTEXT` or `SASL_SSL` (see [Security](#security))' },
  { settings: ['KAFKA_SASL_MECHANISM'], note: '`SCRAM-SHA-512`, `SCRAM-SHA-256` or `PLAIN` (only over TLS)' },
  { settings: ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD', 'KAFKA_SASL_PASSWORD_FILE'], note: 'the service\'s principal; required with SASL, the password inline or in a file, not both' },
  { settings: ['KAFKA_SSL_CA_FILE'], note: 'PEM CA of the brokers\' certificates (needs `SSL`/`SASL_SSL`); default the system CAs' },
  { settings: ['CHAINS'], note: '`login`, `music`, `interactions`, `profiles` (comma-separated) or `all`; the processor joins logins with profiles when it runs both' },
  { settings: ['STREAMDEX_NAMESPACE'], note: 'prefix of every topic, index, template and group (environments, tests)' },
  { settings: ['LOG_LEVEL'], note: 'JSON logs on stdout: `trace`, `debug`, `info`, `warn`, `error`, `fatal` or `silent`' },
  { settings: ['METRICS_PORT'], note: '`/metrics` (Prometheus) and `/healthz`; `0` disables' },
  { settings: ['HEALTH_INTERVAL_MS'], note: 'how often the service samples its health (records, lag, memory, event loop, last error) to `HEALTH_TOPIC`; `0` disables' },
  { settings: ['HEALTH_TOPIC'], note: 'topic of the health samples (namespace prefixed); `create-topics` makes it with 24 h retention, the indexer indexes it' },
  { settings: ['HEALTH_RETENTION_DAYS'], note: 'full days of health indices (`streamdex-health-YYYY.MM.DD`) kept besides today; older ones are deleted at start and hourly' },
  {
    settings: ['PROCESSING_GUARANTEE'],
    note: '`at_least_once` or `exactly_once`: each batch\'s outputs and its input offsets in one Kafka transaction; the producer\'s records in transactions, each acknowledged once its transaction committed (see [Delivery](#design-decisions))',
  },
  { settings: ['TRANSACTIONAL_ID'], note: 'the producer\'s `transactional.id` under `exactly_once`; unset, `<group>-<host>-<pid>` (the producer: `streamdex-producer-<host>-<pid>`), one per running instance' },
  { settings: ['PROCESSOR_GROUP_ID'], note: 'consumer group' },
  { settings: ['IP_MODE'], note: '`keep`, `mask` (`a.b.c.xxx`) or `hash` (HMAC-SHA256)' },
  { settings: ['IP_HASH_SECRET'], note: 'required (≥16 chars) with `IP_MODE=hash`' },
  { settings: ['CURRENT_APP_VERSION'], note: 'older versions get `app.outdated=true`' },
  { settings: ['MAX_RECORD_BYTES'], note: 'larger values are dead-lettered unparsed' },
  { settings: ['MAX_EVENT_AGE_DAYS', 'MAX_FUTURE_SKEW_SECONDS'], note: 'event-time window' },
  {
    settings: ['FILTER_RULES'],
    note: 'JSON rules, e.g. `[{"chain":"login","field":"device_type","in":["unknown"],"action":"drop"}]` or `"action":"route","topic":"…"`',
  },
  { settings: ['PROCESSOR_BATCH_SIZE', 'PROCESSOR_MAX_IN_FLIGHT', 'PROCESSOR_LINGER_MS'], note: "records per poll / unfinished records at which it pauses / its producer's `linger.ms`" },
  { settings: ['INDEXER_GROUP_ID'], note: 'consumer group' },
  { settings: ['OPENSEARCH_URL'], note: 'the cluster to index into' },
  { settings: ['OPENSEARCH_USERNAME', 'OPENSEARCH_PASSWORD', 'OPENSEARCH_PASSWORD_FILE'], note: 'basic auth; the password inline or in a file, not both; a refused login stops the indexer at start (exit 2)' },
  { settings: ['OPENSEARCH_CA_FILE', 'OPENSEARCH_TLS_INSECURE'], note: "CA of OpenSearch's certificate (a certificate it does not sign stops the indexer at start, exit 2) / no certificate check, never with real data" },
  { settings: ['BULK_MAX_DOCS', 'BULK_MAX_BYTES', 'BULK_FLUSH_MS', 'BULK_CONCURRENCY'], note: 'size and age of a bulk request, bulk requests in flight' },
  { settings: ['INDEXER_BATCH_SIZE', 'INDEXER_MAX_IN_FLIGHT'], note: 'records per poll / unfinished records at which it pauses' },
  {
    settings: ['INDEX_REFRESH_INTERVAL'],
    note: "how soon a document is searchable (`500ms`, `5s`, `-1`); unset, the templates' `1s`; set, it goes into the templates and onto the live indices at start",
  },
  { settings: ['ANALYTICS'], note: "the analytics stage's topics: `create-topics` makes them, the indexer indexes its aggregates and alerts (`./streamdex` and compose set `true`)" },
  { settings: ['ANALYTICS_GROUP_ID'], note: 'consumer group' },
  { settings: ['ANALYTICS_WINDOWS'], note: 'tumbling window sizes of the aggregates, in seconds (comma-separated)' },
  { settings: ['ANALYTICS_ALLOWED_LATENESS_SECONDS'], note: 'a window closes when the highest event time of its partition is this far past its end; later events are counted as late' },
  { settings: ['ANALYTICS_BATCH_SIZE', 'ANALYTICS_MAX_IN_FLIGHT'], note: 'records per poll / records in flight (each open window holds its first) at which it takes no more' },
  { settings: ['ALERT_LOGIN_BURST_COUNT', 'ALERT_LOGIN_BURST_WINDOW_SECONDS'], note: 'login burst: more logins of one user than this in one window' },
  { settings: ['ALERT_TRAVEL_MAX_KMH', 'ALERT_TRAVEL_MIN_KM', 'ALERT_TRAVEL_WINDOW_SECONDS'], note: "impossible travel: two logins of one user in different countries, at least this far apart, faster than this, within one window" },
  { settings: ['ALERT_FAILED_LOGIN_COUNT', 'ALERT_FAILED_LOGIN_WINDOW_SECONDS'], note: 'music: more failed logins (`auth`, `success: false`) of one session than this in one window' },
  {
    settings: ['ALERT_DEAD_LETTER_SHARE_PERCENT', 'ALERT_DEAD_LETTER_MIN_COUNT', 'ALERT_DEAD_LETTER_WINDOW_SECONDS'],
    note: 'dead-letter spike: dead letters above this percent of a window\'s records (dead letters + processed events, by record time), at least this many, per partition pair, in windows of this length',
  },
  { settings: ['ANALYTICS_RECORD_LATENESS_SECONDS'], note: 'a record-time window (the dead-letter spike\'s) closes when the highest record time of its processed partition is this far past its end' },
  { settings: ['TOPIC_PARTITIONS'], note: 'partitions of every topic `create-topics` makes' },
  {
    settings: ['TOPIC_REPLICATION_FACTOR', 'TOPIC_MIN_INSYNC_REPLICAS'],
    note: "copies of every partition / copies that must have a write before it is acknowledged (`min.insync.replicas`, at most the factor); the local three-broker cluster uses `3` / `2`",
  },
  { settings: ['ADMIN_WAIT_SECONDS'], note: 'how long `create-topics` waits for the broker' },
  { settings: ['DASHBOARDS_URL', 'DASHBOARDS_TENANT', 'DASHBOARDS_WAIT_SECONDS'], note: 'where to import, into which tenant, how long to wait for Dashboards' },
];

/** The default as written in the environment, or undefined when unset means "none". */
export function defaultOf(type: z.ZodType): unknown {
  // Defaults sit on the input side of transforms (lists, JSON); read them before the transform.
  for (let t: z.ZodType = type; ; t = t.def.in as z.ZodType) {
    if (t instanceof z.ZodDefault) return t.def.defaultValue;
    if (!(t instanceof z.ZodPipe)) break;
  }
  // A default inside a transform (envBool) only shows in what an unset variable parses to.
  const parsed = type.safeParse(undefined);
  return parsed.success ? parsed.data : undefined;
}

function defaultText(value: unknown): string {
  if (value === undefined) return '—';
  if (value === '') return 'empty';
  return `\`${String(value)}\``;
}

/** The table's markdown; throws naming every setting that is undocumented, unknown or ambiguous. */
export function configTable(sources: readonly SettingsSource[], rows: readonly ConfigRow[], shared: readonly string[] = []): string {
  const problems: string[] = [];
  const users = new Map<string, string[]>();
  const defaults = new Map<string, string>();
  for (const source of sources) {
    for (const [name, type] of Object.entries(source.shape)) {
      users.set(name, [...(users.get(name) ?? []), source.user]);
      const text = defaultText(defaultOf(type));
      const earlier = defaults.get(name);
      if (earlier !== undefined && earlier !== text) problems.push(`${name}: default ${earlier} in one schema, ${text} in ${source.user}'s`);
      defaults.set(name, text);
    }
  }
  for (const name of shared) if (!users.has(name)) problems.push(`${name}: in pipeline/config but read by no service`);
  const documented = rows.flatMap((r) => r.settings);
  for (const name of users.keys()) if (!documented.includes(name)) problems.push(`${name}: read by ${users.get(name)!.join(', ')}, not in the table`);
  for (const [i, name] of documented.entries()) {
    if (documented.indexOf(name) !== i) continue;
    if (!users.has(name)) problems.push(`${name}: in the table, read by no service`);
    if (documented.lastIndexOf(name) !== i) problems.push(`${name}: in the table twice`);
  }
  const readBy = (name: string) => (users.get(name)?.length === sources.length ? 'all' : (users.get(name) ?? []).join(', '));
  for (const row of rows) {
    const differ = row.settings.filter((name) => readBy(name) !== readBy(row.settings[0]!));
    if (differ.length > 0) problems.push(`${row.settings.join(' / ')}: one row, but ${differ.join(', ')} is read by other services`);
  }
  if (problems.length > 0) throw new Error(`configuration table:\n  ${problems.join('\n  ')}`);

  const lines = ['| setting | default | read by | notes |', '|---|---|---|---|'];
  for (const row of rows) {
    const texts = row.settings.map((name) => defaults.get(name)!);
    const defaultCell = texts.every((t) => t === '—') ? '—' : texts.join(' / ');
    lines.push(`| ${row.settings.map((s) => `\`${s}\``).join(' / ')} | ${defaultCell} | ${readBy(row.settings[0]!)} | ${row.note} |`);
  }
  return `${lines.join('\n')}\n`;
}

const START = '<!-- config-table: written by `npm run docs:config` from the settings schemas -->\n';
const END = '<!-- /config-table -->';

/** The README with its table replaced; throws when the markers are missing. */
export function withConfigTable(readme: string, table: string): string {
  return withSection(readme, START, END, table);
}

if (require.main === module) {
  // npm run starts scripts in the repository root, from source and from dist/ alike.
  const readmePath = path.resolve('README.md');
  const readme = readFileSync(readmePath, 'utf8');
  const updated = withConfigTable(readme, configTable(settingsSources, configRows, sharedSettings));
  if (updated !== readme) writeFileSync(readmePath, updated);
  process.stdout.write(`README.md: configuration table ${updated === readme ? 'already current' : 'rewritten'}\n`);
}
