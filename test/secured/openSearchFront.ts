import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { REPO_ROOT } from '../../harness';
import { createOpenSearchClient } from '../../pipeline/opensearch';

/**
 * Where the secured suite finds the secured stack (STACK_SECURITY=on): STACK_HOME holds the
 * instance's CA, password files and recorded ports; OPENSEARCH_URL (https://, the TLS front)
 * and KAFKA_BROKERS override the recorded ports.
 */
export const STACK_HOME = process.env.STACK_HOME ?? join(REPO_ROOT, '.stack');

/** The ports `stack/stack up` recorded for the instance (run/ports.env), where the environment names none. */
function recordedPort(key: string, fallback: number): number {
  const file = join(STACK_HOME, 'run', 'ports.env');
  const line = existsSync(file) ? readFileSync(file, 'utf8').split('\n').find((l) => l.startsWith(`${key}=`)) : undefined;
  return line ? Number(line.slice(key.length + 1)) : fallback;
}

export const FRONT_URL = process.env.OPENSEARCH_URL?.startsWith('https://') ? process.env.OPENSEARCH_URL : `https://127.0.0.1:${recordedPort('OPENSEARCH_TLS_PORT', 9443)}`;
export const CA_FILE = process.env.OPENSEARCH_CA_FILE ?? join(STACK_HOME, 'tls', 'ca.crt');
export const KAFKA_BROKERS = process.env.KAFKA_BROKERS ?? `127.0.0.1:${recordedPort('KAFKA_PORT', 9092)}`;

export type FrontUser = 'admin' | 'indexer' | 'dashboards';

export const passwordFile = (user: FrontUser): string => join(STACK_HOME, 'secrets', `opensearch-${user}.password`);
export const password = (user: FrontUser): string => readFileSync(passwordFile(user), 'utf8').trim();

export function requireSecuredStack(): void {
  if (!existsSync(passwordFile('admin'))) throw new Error(`no ${passwordFile('admin')}: start the stack with STACK_SECURITY=on (STACK_HOME=${STACK_HOME})`);
}

/**
 * How the services of these tests log in to Kafka: SASL_SSL as the stack's Kafka admin when
 * its Kafka is secured too, else plain. Admin, not each service's principal: the stack's ACLs
 * are for the default namespace, these tests run in one of their own, and they are about
 * OpenSearch (the Kafka principals have their own tests).
 */
export function kafkaEnv(): Record<string, string> {
  const pw = join(STACK_HOME, 'secrets', 'kafka-admin.password');
  if (!existsSync(pw)) return { KAFKA_BROKERS };
  return {
    KAFKA_BROKERS,
    KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
    KAFKA_SASL_USERNAME: 'admin',
    KAFKA_SASL_PASSWORD_FILE: pw,
    KAFKA_SSL_CA_FILE: join(STACK_HOME, 'tls', 'ca.crt'),
  };
}

/** The indexer's OpenSearch settings through the front as `user`, the CA verified. */
export function openSearchEnv(user: FrontUser): Record<string, string> {
  return { OPENSEARCH_URL: FRONT_URL, OPENSEARCH_USERNAME: user, OPENSEARCH_PASSWORD_FILE: passwordFile(user), OPENSEARCH_CA_FILE: CA_FILE, OPENSEARCH_TLS_INSECURE: 'false' };
}

export const frontClient = (user: FrontUser) =>
  createOpenSearchClient({ url: FRONT_URL, username: user, password: password(user), caFile: CA_FILE, requestTimeoutMs: 30_000 });

export interface Answer {
  readonly status: number;
  readonly body: string;
}

/** One raw request through the front as `user`, the certificate checked against the stack's CA. */
export function asUser(user: FrontUser, method: string, path: string, body?: string, contentType = 'application/json'): Promise<Answer> {
  const url = new URL(path, FRONT_URL);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        ca: readFileSync(CA_FILE),
        auth: `${user}:${password(user)}`,
        headers: body === undefined ? {} : { 'content-type': contentType },
        timeout: 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.end(body);
  });
}
