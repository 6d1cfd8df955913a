import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countDistinct, countDocs, endOffsets, eventually, REPO_ROOT, runToEnd, signalProcess, startProcess, startService, type ProducerSummary, type RunningProcess, type ServiceName } from '../../harness';
import { kafkaSecurity } from '../../pipeline/config';
import { deadLetterIndexWithNamespace } from '../../pipeline/chains/deadLetterIndex';
import { indexingWithNamespace } from '../../pipeline/chains/indexing';
import { loginIndexing } from '../../pipeline/chains/login/indexing';
import { KafkaAdmin } from '../../pipeline/kafka';
import { createOpenSearchClient } from '../../pipeline/opensearch';
import { uniqueName } from '../helpers/env';
import { filesUnder, foreignCa, grantNamespace, kafkaAcls, loginOf, passwords, STACK_HOME, withLogin, type KafkaUser } from './securedStack';

/**
 * The login chain on a STACK_SECURITY=on stack (SASL_SSL, SCRAM-SHA-512, ACLs), each
 * service as its own principal with the login `stack/stack env` hands it, and the ways a
 * service is refused: each must stop at start naming what to fix. Everything the processes
 * and the servers log is then searched for the passwords.
 */
const ns = `${uniqueName('secured')}-`;
const chain = indexingWithNamespace(loginIndexing, ns);
const deadLetterAlias = deadLetterIndexWithNamespace(ns).alias;
const PARTITIONS = 3;
const EVENTS = 3000;
const logDir = mkdtempSync(join(tmpdir(), 'streamdex-secured-logs-'));
const wrongPassword = `wrong-${process.pid}-${Date.now()}`;
const wrongPasswordFile = join(logDir, 'wrong.password');
writeFileSync(wrongPasswordFile, `${wrongPassword}\n`, { mode: 0o600 });

const opensearchUrl = () => loginOf('admin').OPENSEARCH_URL!;
/** A service's environment as `user`; debug logs, so the password check below sees the most. */
const envAs = (user: KafkaUser, extra: Record<string, string> = {}) => ({
  ...loginOf(user),
  STREAMDEX_NAMESPACE: ns,
  CHAINS: 'login,profiles',
  TOPIC_PARTITIONS: String(PARTITIONS),
  LOG_LEVEL: 'debug',
  ...extra,
});
/** The outsider's password before and after the rotation test. */
const rotated: string[] = [];
let logs = 0;
const logFile = (name: string) => join(logDir, `${name}-${logs++}.log`);
const running: RunningProcess[] = [];
const start = (service: ServiceName, env: Record<string, string>) => {
  const p = startService(service, { env, logFile: logFile(service) });
  running.push(p);
  return p;
};

let admin: KafkaAdmin | undefined;
const adminClient = () => {
  const a = loginOf('admin');
  return (admin ??= new KafkaAdmin({
    brokers: a.KAFKA_BROKERS!.split(','),
    clientId: 'streamdex-secured-test',
    librdkafka: kafkaSecurity({ KAFKA_SECURITY_PROTOCOL: 'SASL_SSL', KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512', KAFKA_SASL_USERNAME: 'admin', KAFKA_SASL_PASSWORD_FILE: a.KAFKA_SASL_PASSWORD_FILE, KAFKA_SSL_CA_FILE: a.KAFKA_SSL_CA_FILE }),
  }));
};
const os = createOpenSearchClient({ url: opensearchUrl() });

beforeAll(async () => {
  grantNamespace(ns);
  const created = await runToEnd('admin', { env: envAs('admin'), args: ['create-topics'], logFile: logFile('admin') });
  expect(created.code).toBe(0);
});

afterAll(async () => {
  await Promise.all(running.map((p) => signalProcess(p, 'SIGTERM', 20_000)));
  const topics = (await adminClient().listTopics()).filter((t) => t.startsWith(ns));
  await adminClient().deleteTopics(topics);
  adminClient().close();
  await os.indices.delete({ index: `${ns}*`, expand_wildcards: 'all' } as never).catch(() => undefined);
  await os.indices.deleteIndexTemplate({ name: `${ns}*` }).catch(() => undefined);
  await os.close();
});

/** The producer CLI to its exit: its code, the error line and how long it took. */
async function refusedCli(env: Record<string, string>): Promise<{ code: number | null; message: string; ms: number }> {
  const t0 = Date.now();
  const r = await runToEnd('producer', { env, args: ['--chain', 'login', '--count', '10'], logFile: logFile('producer') });
  const message = r.process.output().split('\n').find((l) => /^(configuration|access) error: /.test(l)) ?? r.process.tail(5);
  return { code: r.code, message, ms: Date.now() - t0 };
}

const sumOf = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('the login chain on the secured stack, one principal per service', () => {
  it('indexes every event exactly once and dead-letters none, with producer, processor and indexer each logged in as itself', async () => {
    start('processor', envAs('processor'));
    start('indexer', envAs('indexer', { OPENSEARCH_URL: opensearchUrl() }));

    const produced = await runToEnd('producer', { env: envAs('producer'), args: ['--chain', 'login', '--rate', '1500', '--count', String(EVENTS), '--seed', '17'], logFile: logFile('producer') });
    expect(produced.code).toBe(0);
    const summary = JSON.parse(produced.lastLine) as ProducerSummary;
    expect(summary).toMatchObject({ failed: 0, acked: { valid: EVENTS, malformed: {} } });

    const count = () => countDocs(os, chain.index.alias);
    await eventually(count, (n) => n >= EVENTS, 120_000, 'every login indexed');
    await new Promise((r) => setTimeout(r, 2000));
    expect(await count()).toBe(EVENTS);
    expect(await countDistinct(os, chain.index.alias, ['source.partition', 'source.offset'])).toBe(EVENTS);

    // Read as admin: the processed topic holds each event once, the dead-letter topic nothing.
    const ends = await withLogin('admin', async (c) => ({
      processed: sumOf(await endOffsets(c, chain.topics.output, PARTITIONS)),
      deadLetters: sumOf(await endOffsets(c, chain.topics.deadLetter, PARTITIONS)),
    }));
    expect(ends).toEqual({ processed: EVENTS, deadLetters: 0 });
    expect(await countDocs(os, deadLetterAlias)).toBe(0);
    for (const p of running) expect(p.child.exitCode).toBeNull();
  });

  it('holds records back, reporting, while the processor has lost its Write ACL, and delivers them all once it is back', async () => {
    const processor = running[0]!;
    const write = ['--allow-principal', 'User:processor', '--operation', 'Write', '--topic', chain.topics.output];
    kafkaAcls(['--remove', ...write]);
    const more = 500;
    const produced = await runToEnd('producer', { env: envAs('producer'), args: ['--chain', 'login', '--rate', '1000', '--count', String(more), '--seed', '18'], logFile: logFile('producer') });
    expect(produced.code).toBe(0);
    // Reported as what it is, and none of the valid records misfiled as a dead letter.
    await eventually(async () => processor.output(), (o) => o.includes(`could not send to ${chain.topics.output}: Broker: Topic authorization failed`), 30_000, 'the refusal reported');
    const deadLetters = () => withLogin('admin', async (c) => sumOf(await endOffsets(c, chain.topics.deadLetter, PARTITIONS)));
    expect(await deadLetters()).toBe(0);
    expect(await countDocs(os, chain.index.alias)).toBe(EVENTS);
    kafkaAcls(['--add', ...write]);
    // The sink's backoff reaches 30 s between attempts.
    await eventually(() => countDocs(os, chain.index.alias), (n) => n >= EVENTS + more, 90_000, 'the held-back logins indexed');
    await new Promise((r) => setTimeout(r, 2000));
    expect(await countDocs(os, chain.index.alias)).toBe(EVENTS + more);
    expect(await deadLetters()).toBe(0);
    expect(processor.child.exitCode).toBeNull();
  });
});

describe('a service Kafka refuses stops at start and names what to fix', () => {
  /** Runs a consuming service to its exit: its code, stderr's first line and how long it took. */
  async function refused(service: ServiceName, env: Record<string, string>): Promise<{ code: number | null; message: string; ms: number }> {
    const t0 = Date.now();
    const p = start(service, env);
    const lines: string[] = [];
    p.child.stderr?.on('data', (b: Buffer) => lines.push(...b.toString().split('\n').filter((l) => l.length > 0)));
    const code = await p.exited;
    return { code, message: lines[0] ?? p.tail(5), ms: Date.now() - t0 };
  }

  it('a wrong password: exit 2, naming KAFKA_SASL_PASSWORD_FILE and the user (producer CLI and processor service)', async () => {
    const cli = await refusedCli(envAs('producer', { KAFKA_SASL_PASSWORD_FILE: wrongPasswordFile }));
    expect(cli.code).toBe(2);
    expect(cli.message).toMatch(/^configuration error: KAFKA_SASL_PASSWORD_FILE: the broker at 127\.0\.0\.1:\d+ refused the SCRAM-SHA-512 login of user "producer" \(authentication failure\): wrong password for KAFKA_SASL_USERNAME, or no such user$/);
    const service = await refused('processor', envAs('processor', { KAFKA_SASL_PASSWORD_FILE: wrongPasswordFile }));
    expect(service.code).toBe(2);
    expect(service.message).toMatch(/^configuration error: KAFKA_SASL_PASSWORD_FILE: the broker at .* refused the SCRAM-SHA-512 login of user "processor"/);
    // At start, not after librdkafka's retries: well below the clients' 30 s connect timeout.
    expect(Math.max(cli.ms, service.ms)).toBeLessThan(20_000);
  });

  it('an unknown CA: exit 2, naming KAFKA_SSL_CA_FILE and the file', async () => {
    const ca = foreignCa();
    const r = await refused('indexer', envAs('indexer', { KAFKA_SSL_CA_FILE: ca, OPENSEARCH_URL: opensearchUrl() }));
    expect(r.code).toBe(2);
    expect(r.message).toBe(
      `configuration error: KAFKA_SSL_CA_FILE: the TLS handshake with ${loginOf('indexer').KAFKA_BROKERS} failed (ssl error): its certificate is not signed by the CA in ${JSON.stringify(ca)}, or the listener does not speak TLS (KAFKA_SECURITY_PROTOCOL=SASL_SSL)`,
    );
    expect(r.ms).toBeLessThan(20_000);
  });

  it("a principal without the ACL: exit 3, naming the principal and each permission it lacks", async () => {
    // The indexer's login producing to a raw topic.
    const indexerProducing = await refusedCli(envAs('indexer'));
    expect(indexerProducing.code).toBe(3);
    expect(indexerProducing.message).toMatch(new RegExp(`^access error: Kafka denies User:indexer Write on topic ${ns}user-login: grant it \\(stack/bin/kafka-acls --add --allow-principal User:indexer`));
    // The producer's login running the processor: it may neither read raw nor write processed
    // (only its health samples, which every service writes).
    const producerProcessing = await refused('processor', envAs('producer'));
    expect(producerProcessing.code).toBe(3);
    expect(producerProcessing.message).toBe(
      `access error: Kafka denies User:producer Read on topic ${ns}user-login, Read on topic ${ns}user-profiles, Read on topic ${ns}processed-user-profiles, Write on topic ${ns}processed-user-login, Write on topic ${ns}user-login-dlq, Write on topic ${ns}processed-user-profiles, Write on topic ${ns}user-profiles-dlq: grant it (stack/bin/kafka-acls --add --allow-principal User:producer ...; README.md#security), or start this service as the principal meant for it (KAFKA_SASL_USERNAME)`,
    );
    // A valid login with no ACL at all.
    const outsider = await refused('indexer', envAs('outsider', { OPENSEARCH_URL: opensearchUrl() }));
    expect(outsider.code).toBe(3);
    expect(outsider.message).toMatch(new RegExp(`^access error: Kafka denies User:outsider Read on topic ${ns}processed-user-login, `));
  });

});

describe('rotating a password the way README.md#security says', () => {
  it('refuses the old password and takes the new one from the rewritten file', async () => {
    const a = loginOf('admin');
    const file = loginOf('outsider').KAFKA_SASL_PASSWORD_FILE!;
    rotated.push(readFileSync(file, 'utf8').trim());
    const oldFile = join(logDir, 'outsider-old.password');
    writeFileSync(oldFile, `${rotated[0]}\n`, { mode: 0o600 });
    const fresh = `rotated-${process.pid}-${Date.now().toString(36)}`;
    rotated.push(fresh);
    // Not runCommand: its error would quote the command line, password and all.
    const alter = startProcess(
      join(REPO_ROOT, 'stack', 'bin', 'kafka-configs'),
      ['--bootstrap-server', a.KAFKA_BROKERS!, '--command-config', join(STACK_HOME, 'secrets', 'kafka-admin.properties'), '--alter', '--entity-type', 'users', '--entity-name', 'outsider', '--add-config', `SCRAM-SHA-512=[password=${fresh}]`],
      { logFile: logFile('kafka-configs') },
    );
    const altered = await alter.exited;
    if (altered !== 0) throw new Error(`kafka-configs --alter exited ${altered}: ${alter.tail(10).split(fresh).join('***')}`);
    writeFileSync(file, `${fresh}\n`, { mode: 0o600 });
    // Outsider has no ACL: the new password gets it as far as the authorization (exit 3).
    const before = await refusedCli(envAs('outsider', { KAFKA_SASL_PASSWORD_FILE: oldFile }));
    expect(before.code).toBe(2);
    expect(before.message).toMatch(/refused the SCRAM-SHA-512 login of user "outsider"/);
    const after = await refusedCli(envAs('outsider'));
    expect(after.code).toBe(3);
    expect(after.message).toMatch(/^access error: Kafka denies User:outsider Write on topic /);
  });
});

describe('exactly_once on the secured stack', () => {
  it('lets the producer write in transactions as User:producer, under the transactional-id prefix the ACL plan grants', async () => {
    const log = logFile('producer');
    const r = await runToEnd('producer', {
      env: envAs('producer', { PROCESSING_GUARANTEE: 'exactly_once' }),
      args: ['--chain', 'login', '--rate', '1000', '--count', '500', '--seed', '19'],
      logFile: log,
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.lastLine) as ProducerSummary).toMatchObject({ failed: 0, acked: { valid: 500, malformed: {} } });
    expect(readFileSync(log, 'utf8')).toContain(`"transactionalId":"${ns}streamdex-producer-`);
  });
});

describe('the logs of the secured run', () => {
  it('hold no password: not the services’ (debug level), the admin CLI’s, Kafka’s or OpenSearch’s', async () => {
    await Promise.all(running.map((p) => signalProcess(p, 'SIGTERM', 20_000)));
    const files = [...filesUnder(logDir).filter((f) => f.endsWith('.log')), ...filesUnder(join(STACK_HOME, 'logs'))];
    const texts = files.map((f) => [f, readFileSync(f, 'latin1')] as const);
    // Something was logged to search: the access checks, the brokers' authentication failures.
    const all = texts.map(([, t]) => t).join('\n');
    expect(all).toContain('Kafka access checked');
    expect(all).toContain('Failed authentication');
    const secrets = [...new Set([...passwords(), wrongPassword, ...rotated])];
    expect(secrets.length).toBeGreaterThanOrEqual(7);
    // File names only: the assertion must not print a password itself.
    const leaking = texts.filter(([, t]) => secrets.some((s) => t.includes(s))).map(([f]) => f);
    expect(leaking).toEqual([]);
  });
});
