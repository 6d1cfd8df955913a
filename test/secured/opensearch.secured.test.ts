import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { countDocs, eventually, REPO_ROOT, runToEnd, signalProcess, startService, type ProducerSummary, type RunningProcess } from '../../harness';
import { indexingWithNamespace } from '../../pipeline/chains/indexing';
import { loginIndexing } from '../../pipeline/chains/login/indexing';
import { KafkaAdmin } from '../../pipeline/kafka';
import { kafkaSecurity, loadConfig, kafkaSettings } from '../../pipeline/config';
import { z } from 'zod';
import { uniqueName } from '../helpers/env';
import { asUser, CA_FILE, FRONT_URL, frontClient, kafkaEnv, openSearchEnv, password, passwordFile, requireSecuredStack, STACK_HOME } from './openSearchFront';

/**
 * OpenSearch behind the secured stack's TLS front (STACK_SECURITY=on): the indexer indexes
 * through it with the CA verified and its least-privilege user, and every way of getting
 * it wrong stops it at start with a message naming the setting, on the real servers.
 */
requireSecuredStack();

const ns = `${uniqueName('sec-os')}-`;
const chain = indexingWithNamespace(loginIndexing, ns);
const firstIndex = chain.index.initialIndex;
const chainEnv = { STREAMDEX_NAMESPACE: ns, CHAINS: 'login', TOPIC_PARTITIONS: '3' };
const admin = frontClient('admin');
const started: RunningProcess[] = [];
const WRONG_PASSWORD = `wrong-${process.pid}-pw`;

function run(which: 'processor' | 'indexer', env: Record<string, string>): RunningProcess {
  const p = startService(which, { env: { ...chainEnv, ...env } });
  started.push(p);
  return p;
}

/** An indexer that must stop by itself at start: its exit code and output. */
async function indexerStopping(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const p = run('indexer', { ...kafkaEnv(), ...env, LOG_LEVEL: 'info' });
  const code = await Promise.race([p.exited, sleep(60_000, 'still running' as const, { ref: false })]);
  if (code === 'still running') {
    await signalProcess(p, 'SIGKILL');
    throw new Error(`the indexer did not stop within 60 s:\n${p.tail(20)}`);
  }
  return { code, output: p.output() };
}

afterAll(async () => {
  await Promise.all(started.map((p) => signalProcess(p, 'SIGTERM')));
  const kafka = loadConfig(z.object(kafkaSettings), kafkaEnv());
  const topics = new KafkaAdmin({ brokers: kafka.KAFKA_BROKERS, clientId: 'streamdex-test', librdkafka: kafkaSecurity(kafka) });
  await topics.deleteTopics([...chain.topics.inputs, chain.topics.output, chain.topics.deadLetter, `${ns}streamdex-health`]).catch(() => undefined);
  topics.close();
  await admin.indices.delete({ index: `${ns}*`, expand_wildcards: 'all' } as never).catch(() => undefined);
  await admin.indices.deleteIndexTemplate({ name: `${ns}*` }).catch(() => undefined);
  await admin.close();
});

let produced: number;

describe('OpenSearch behind the TLS front', () => {
  it('indexes every event of the login chain through the front as the indexer user, the CA verified', async () => {
    expect(process.env.OPENSEARCH_TLS_INSECURE ?? 'false').toBe('false');
    const created = await runToEnd('admin', { env: { ...chainEnv, ...kafkaEnv() }, args: ['create-topics'] });
    expect(created.code).toBe(0);

    run('processor', kafkaEnv());
    const indexer = run('indexer', { ...kafkaEnv(), ...openSearchEnv('indexer') });
    const r = await runToEnd('producer', { env: { ...chainEnv, ...kafkaEnv() }, args: ['--chain', 'login', '--rate', '2000', '--count', '3000', '--malformed-ratio', '0', '--seed', '17'] });
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.lastLine) as ProducerSummary;
    expect(summary.failed).toBe(0);
    produced = summary.acked.valid;
    expect(produced).toBe(3000);

    const count = () => countDocs(admin, chain.index.alias);
    const stopped = indexer.exited.then((code) => {
      throw new Error(`the indexer exited (${code}) before indexing everything:\n${indexer.tail(10)}`);
    });
    stopped.catch(() => undefined);
    await Promise.race([eventually(count, (n) => n >= produced, 120_000, 'every login indexed through the front', 1000), stopped]);
    await sleep(2000);
    expect(await count()).toBe(produced);
    // The indexer really went through the front, as its user: the front's access log says so.
    const access = readFileSync(join(STACK_HOME, 'nginx', 'logs', 'access.log'), 'utf8');
    expect(access).toMatch(/user=indexer "POST \/_index_template\/sec-os-[^"]*streamdex-login" 200/);
    expect(access).toMatch(/user=indexer "POST \/_bulk" 200/);
  });

  it('stops the indexer at start on a wrong password, exit 2, naming OPENSEARCH_PASSWORD', async () => {
    const { code, output } = await indexerStopping({ ...openSearchEnv('indexer'), OPENSEARCH_PASSWORD_FILE: '', OPENSEARCH_PASSWORD: WRONG_PASSWORD });
    expect(code).toBe(2);
    expect(output).toContain(`configuration error: OPENSEARCH_PASSWORD: OpenSearch at ${FRONT_URL} refused the login of user "indexer" (HTTP 401): check OPENSEARCH_USERNAME and OPENSEARCH_PASSWORD`);
    expect(output).not.toContain(WRONG_PASSWORD);
  });

  it('stops the indexer at start on an unknown user, exit 2, naming the password setting in use', async () => {
    const { code, output } = await indexerStopping({ ...openSearchEnv('indexer'), OPENSEARCH_USERNAME: 'nobody' });
    expect(code).toBe(2);
    expect(output).toContain('configuration error: OPENSEARCH_PASSWORD_FILE: OpenSearch at');
    expect(output).toContain('refused the login of user "nobody" (HTTP 401)');
  });

  it('stops the indexer at start on a CA that did not sign the front\'s certificate, exit 2, naming OPENSEARCH_CA_FILE', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'unknown-ca-'));
    const unknownCa = join(dir, 'ca.crt');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=Unknown test CA', '-keyout', join(dir, 'ca.key'), '-out', unknownCa], { stdio: 'ignore' });
    const { code, output } = await indexerStopping({ ...openSearchEnv('indexer'), OPENSEARCH_CA_FILE: unknownCa });
    expect(code).toBe(2);
    expect(output).toContain(`configuration error: OPENSEARCH_CA_FILE: the certificate of ${FRONT_URL} is not signed by the CA in "${unknownCa}" (self-signed certificate in certificate chain): point OPENSEARCH_CA_FILE at the CA that signed it`);
  });

  it('stops the indexer at start without a CA file, since the system CAs do not know the stack\'s CA', async () => {
    const { OPENSEARCH_CA_FILE: _ca, ...withoutCa } = openSearchEnv('indexer');
    const { code, output } = await indexerStopping({ ...withoutCa, OPENSEARCH_CA_FILE: '' });
    expect(code).toBe(2);
    expect(output).toContain('configuration error: OPENSEARCH_CA_FILE: the certificate of');
    expect(output).toContain('the system CAs (OPENSEARCH_CA_FILE is unset)');
  });

  it('stops an indexer whose user lacks a permission it needs, exit 3, naming the action and the user', async () => {
    const { code, output } = await indexerStopping(openSearchEnv('dashboards'));
    expect(code).toBe(3);
    expect(output).toContain('access error: OpenSearch denies user "dashboards" PUT /_ingest/pipeline/streamdex-indexed-at-latency');
    expect(output).toContain('no permissions for [PUT /_ingest/pipeline/streamdex-indexed-at-latency] and User [name=dashboards]');
  });

  it('refuses the indexer user what it does not need: deleting a chain index, writing outside Streamdex, reading', async () => {
    const deleted = await asUser('indexer', 'DELETE', `/${firstIndex}`);
    expect(deleted).toEqual({ status: 403, body: `{"error":{"type":"security_exception","reason":"no permissions for [DELETE /${firstIndex}] and User [name=indexer]"},"status":403}` });
    const foreign = await asUser('indexer', 'PUT', `/${ns}other-index/_doc/1`, '{"a":1}');
    expect(foreign.status).toBe(403);
    expect(foreign.body).toContain(`no permissions for [PUT /${ns}other-index/_doc/1] and User [name=indexer]`);
    expect((await asUser('indexer', 'PUT', `/${ns}other-index`)).status).toBe(403);
    expect((await asUser('indexer', 'POST', `/${chain.index.alias}/_search`, '{}')).status).toBe(403);
    // An encoded or dotted path is refused, not decoded into a permitted one.
    expect((await asUser('indexer', 'DELETE', `/%2e%2e/${firstIndex}`)).status).toBe(403);
    // The index is still there, whole.
    expect(await countDocs(admin, chain.index.alias)).toBe(produced);
  });

  it('lets the dashboards user read the Streamdex indices and nothing more', async () => {
    const counted = await asUser('dashboards', 'POST', `/${chain.index.alias}/_count`, '{"query":{"match_all":{}}}');
    expect(counted.status).toBe(200);
    expect((JSON.parse(counted.body) as { count: number }).count).toBe(produced);
    expect((await asUser('dashboards', 'GET', `/${chain.index.alias}/_mapping`)).status).toBe(200);

    const write = await asUser('dashboards', 'PUT', `/${firstIndex}/_doc/intruder`, '{"user_id":"x"}');
    expect(write).toEqual({ status: 403, body: `{"error":{"type":"security_exception","reason":"no permissions for [PUT /${firstIndex}/_doc/intruder] and User [name=dashboards]"},"status":403}` });
    const bulk = await asUser('dashboards', 'POST', '/_bulk', `{"index":{"_index":"${firstIndex}","_id":"intruder"}}\n{"user_id":"x"}\n`, 'application/x-ndjson');
    expect(bulk.status).toBe(403);
    expect((await asUser('dashboards', 'DELETE', `/${firstIndex}`)).status).toBe(403);
    expect((await asUser('dashboards', 'POST', `/${chain.index.alias},.kibana/_search`, '{}')).status).toBe(403);
    expect(await countDocs(admin, chain.index.alias)).toBe(produced);
  });

  it('answers no request without a login, and none over plain HTTP on the TLS port', async () => {
    const url = new URL(FRONT_URL);
    const anonymous = execFileSync('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '--cacert', CA_FILE, `${FRONT_URL}/`]).toString();
    expect(anonymous).toBe('401');
    const plain = execFileSync('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', `http://${url.host}/`]).toString();
    expect(plain).toBe('400');
  });

  it('rotates a password with `stack/stack up`: the old one is refused at once, the new one works, the front keeps running', async () => {
    const before = password('indexer');
    const masterBefore = readFileSync(join(STACK_HOME, 'nginx', 'run', 'nginx.pid'), 'utf8').trim();
    writeFileSync(passwordFile('indexer'), `rotated-${process.pid}-${Date.now().toString(36)}\n`, { mode: 0o600 });
    execFileSync('bash', [join(REPO_ROOT, 'stack', 'stack'), 'up', 'opensearch'], { env: { ...process.env, STACK_HOME }, stdio: 'ignore' });
    expect(password('indexer')).not.toBe(before);
    expect((await asUser('indexer', 'GET', '/')).status).toBe(200);
    const old = execFileSync('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '--cacert', CA_FILE, '-K', '-', `${FRONT_URL}/`], { input: `user = "indexer:${before}"` }).toString();
    expect(old).toBe('401');
    expect(readFileSync(join(STACK_HOME, 'nginx', 'run', 'nginx.pid'), 'utf8').trim()).toBe(masterBefore);
    // An indexer started now reads the new password from its file and gets through its start.
    const indexer = run('indexer', { ...kafkaEnv(), ...openSearchEnv('indexer'), LOG_LEVEL: 'info' });
    await eventually(async () => indexer.output(), (out) => out.includes('consumer-indexer started') || indexer.child.exitCode !== null, 60_000, 'the indexer started with the rotated password');
    expect(indexer.output()).toContain('consumer-indexer started');
    await signalProcess(indexer, 'SIGTERM');
    expect(statSync(passwordFile('indexer')).mode & 0o777).toBe(0o600);
  });

  it('leaves no password in any log: services, servers, front', async () => {
    await Promise.all(started.map((p) => signalProcess(p, 'SIGTERM')));
    // Every password of the instance (Kafka's too, when its Kafka is secured) and the wrong one.
    const secretsDir = join(STACK_HOME, 'secrets');
    const stored = readdirSync(secretsDir).filter((f) => f.endsWith('.password')).map((f) => readFileSync(join(secretsDir, f), 'utf8').trim());
    expect(stored).toEqual(expect.arrayContaining([password('admin'), password('indexer'), password('dashboards')]));
    const secrets = [...stored, WRONG_PASSWORD];
    const texts: Array<[string, string]> = started.map((p, i) => [`${p.name} #${i}`, p.output()]);
    for (const dir of [join(STACK_HOME, 'logs'), join(STACK_HOME, 'nginx', 'logs'), join(STACK_HOME, 'logs', 'opensearch')]) {
      if (!existsSync(dir)) continue;
      for (const f of readdirSync(dir, { withFileTypes: true })) if (f.isFile()) texts.push([join(dir, f.name), readFileSync(join(dir, f.name), 'latin1')]);
    }
    expect(texts.length).toBeGreaterThan(started.length);
    const leaks = texts.flatMap(([where, text]) => secrets.filter((s) => text.includes(s)).map(() => where));
    expect(leaks).toEqual([]);
  });
});
