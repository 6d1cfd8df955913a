import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KafkaConsumer } from '@confluentinc/kafka-javascript';
import { REPO_ROOT } from '../../harness';
import { kafkaSecurity } from '../../pipeline/config';

/**
 * The STACK_SECURITY=on stack the secured suite runs against (scripts/test-secured.sh starts
 * one): every login comes from `stack/stack env USER`, as a service gets it.
 */
export const STACK_HOME = process.env.STACK_HOME ?? join(REPO_ROOT, '.stack');
export type KafkaUser = 'admin' | 'producer' | 'processor' | 'indexer' | 'analytics' | 'outsider';

function stack(args: readonly string[]): string {
  return execFileSync('bash', [join(REPO_ROOT, 'stack', 'stack'), ...args], { env: { ...process.env, STACK_HOME }, encoding: 'utf8' });
}

/** The settings `stack/stack env USER` gives: brokers, protocol, user, password file, CA. */
export function loginOf(user: KafkaUser): Record<string, string> {
  const env = Object.fromEntries(
    stack(['env', user])
      .trim()
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  if (env.KAFKA_SECURITY_PROTOCOL !== 'SASL_SSL') throw new Error(`the stack in ${STACK_HOME} is not secured (STACK_SECURITY=on stack/stack up, or scripts/test-secured.sh)`);
  return env;
}

/** The services' ACLs for topics and groups under this namespace (stack/stack acls). */
export function grantNamespace(ns: string): void {
  stack(['acls', ns]);
}

/** stack/bin/kafka-acls as admin, e.g. ['--remove', '--allow-principal', 'User:processor', ...]. */
export function kafkaAcls(args: readonly string[]): void {
  const admin = loginOf('admin');
  execFileSync(join(REPO_ROOT, 'stack', 'bin', 'kafka-acls'), ['--bootstrap-server', admin.KAFKA_BROKERS!, '--command-config', join(STACK_HOME, 'secrets', 'kafka-admin.properties'), '--force', ...args], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** Every Kafka password of the stack instance. */
export function passwords(): string[] {
  const dir = join(STACK_HOME, 'secrets');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.password'))
    .map((f) => readFileSync(join(dir, f), 'utf8').trim());
}

/** A second CA, the stack's own way (stack/lib/ca.sh): one the broker's certificate is not signed by. */
export function foreignCa(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'streamdex-foreign-ca-')), 'tls');
  execFileSync('bash', ['-c', `source "${join(REPO_ROOT, 'stack', 'lib', 'ca.sh')}" && stack_ca_ensure "$1"`, 'ca', dir]);
  return join(dir, 'ca.crt');
}

/** Every file under a folder, recursively. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const path = join(dir, f);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** A plain consumer logged in as `user`, for one question (end offsets), disconnected after. */
export async function withLogin<T>(user: KafkaUser, use: (c: KafkaConsumer) => Promise<T>): Promise<T> {
  const env = loginOf(user);
  const security = kafkaSecurity({
    KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
    KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
    KAFKA_SASL_USERNAME: env.KAFKA_SASL_USERNAME,
    KAFKA_SASL_PASSWORD_FILE: env.KAFKA_SASL_PASSWORD_FILE,
    KAFKA_SSL_CA_FILE: env.KAFKA_SSL_CA_FILE,
  });
  const consumer = new KafkaConsumer({ 'bootstrap.servers': env.KAFKA_BROKERS!, 'group.id': `secured-test-${process.pid}`, 'enable.auto.commit': false, ...security }, {});
  await new Promise<void>((resolve, reject) => consumer.connect({ timeout: 20_000 }, (err) => (err ? reject(err) : resolve())));
  try {
    return await use(consumer);
  } finally {
    await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
  }
}
