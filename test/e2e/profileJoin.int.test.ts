import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Message } from '@confluentinc/kafka-javascript';
import { countDocs, eventually, readTopic, REPO_ROOT, runToEnd, signalProcess, startService, type ProducerSummary, type RunningProcess } from '../../harness';
import { indexingWithNamespace } from '../../pipeline/chains/indexing';
import { loginIndexing } from '../../pipeline/chains/login/indexing';
import { ageBracket } from '../../pipeline/chains/profiles/ageBracket';
import { profilesIndexing } from '../../pipeline/chains/profiles/indexing';
import { KAFKA_BROKERS, OPENSEARCH_URL, uniqueName } from '../helpers/env';
import { useTopics } from '../helpers/kafka';
import { useOpenSearch } from '../helpers/opensearch';

/**
 * The profiles chain and the stream-table join on the real stack, as processes: profiles
 * (generated API responses and the recorded fixture) indexed exactly once per user, with
 * no credential in the processed topic or the index; then logins, with the processor
 * SIGKILLed and restarted mid-stream, every one indexed exactly once and joined with its
 * user's profile (found: false exactly for the users who have none).
 */
const PARTITIONS = 3;
const ns = `${uniqueName('e2e-join')}-`;
const profiles = indexingWithNamespace(profilesIndexing, ns);
const logins = indexingWithNamespace(loginIndexing, ns);
const allTopics = [profiles, logins].flatMap((c) => [...c.topics.inputs, c.topics.output, c.topics.deadLetter]);
const env = { KAFKA_BROKERS: KAFKA_BROKERS.join(','), OPENSEARCH_URL, STREAMDEX_NAMESPACE: ns, CHAINS: 'login,profiles', TOPIC_PARTITIONS: String(PARTITIONS) };
const FIXTURE = path.join(REPO_ROOT, 'test/fixtures/randomuser/response.ndjson');
const SECRETS = ['password', 'salt', 'md5', 'sha1', 'sha256'];
const RESPONSES = 150;
const LOGINS = 6000;

const topics = useTopics();
const search = useOpenSearch();
search.cleanup(`${ns}*`);
const running: Record<string, RunningProcess> = {};
afterAll(async () => {
  await Promise.all(Object.values(running).map((s) => signalProcess(s, 'SIGTERM', 20_000)));
  await topics.admin().deleteTopics(allTopics).catch(() => undefined);
});

const start = (which: 'processor' | 'indexer') => (running[which] = startService(which, { env }));
async function produce(args: string[]): Promise<ProducerSummary> {
  const r = await runToEnd('producer', { env, args });
  expect(r.code).toBe(0);
  const summary = JSON.parse(r.lastLine) as ProducerSummary;
  expect(summary.failed).toBe(0);
  return summary;
}
async function readAll(topic: string): Promise<Message[]> {
  const out: Message[] = [];
  await readTopic(env.KAFKA_BROKERS, topic, PARTITIONS, (m) => out.push(m), 60_000);
  return out;
}
async function allDocs(index: string): Promise<Array<Record<string, any>>> {
  const os = search.client();
  await os.indices.refresh({ index });
  const r = await os.search({ index, body: { query: { match_all: {} }, size: 10_000 } as never });
  return (r.body as unknown as { hits: { hits: Array<{ _id: string; _source: Record<string, any> }> } }).hits.hits.map((h) => ({ _id: h._id, ...h._source }));
}
function keysOf(v: unknown, out = new Set<string>()): Set<string> {
  if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) (out.add(k), keysOf(x, out));
  return out;
}

/** What the raw input says each user's latest profile is: the expected join, computed from the API's fields. */
const expected = new Map<string, { nationality: string; country: string; age_bracket: string; registration_year: number; password: string }>();

describe('profiles, and logins joined with them, on the real stack', () => {
  it('creates the topics, the processed-profile topic compacted', async () => {
    const r = await runToEnd('admin', { env, args: ['create-topics'] });
    expect(r.code).toBe(0);
    // A created topic reaches the broker's metadata a moment after the controller's answer.
    const listed = await eventually(() => topics.admin().listTopics(), (names) => allTopics.every((t) => names.includes(t)), 10_000, 'the created topics in the metadata');
    expect(listed).toEqual(expect.arrayContaining(allTopics));
    const described = execFileSync(path.join(REPO_ROOT, 'stack/bin/kafka-configs'), ['--bootstrap-server', KAFKA_BROKERS[0]!, '--describe', '--entity-type', 'topics', '--entity-name', profiles.topics.output], { encoding: 'utf8' });
    expect(described).toContain('cleanup.policy=compact');
  });

  it('indexes exactly one document per user, from generated responses and the recorded fixture, and no credential anywhere', async () => {
    start('processor');
    start('indexer');
    const generated = await produce(['--chain', 'profiles', '--rate', '0', '--count', String(RESPONSES), '--seed', '1']);
    const replayed = await produce(['--chain', 'profiles', '--replay', FIXTURE]);
    expect(generated.acked.valid).toBe(RESPONSES);
    expect(replayed.acked.valid).toBe(2);

    // The raw topic, in order per partition; the users' ids and what their profiles say.
    for (const m of await readAll(profiles.topics.inputs[0]!)) {
      const v = JSON.parse(m.value!.toString()) as Record<string, any>;
      for (const u of v.results ?? [v]) {
        expected.set(u.login.uuid, { nationality: u.nat, country: u.location.country, age_bracket: ageBracket(u.dob.age), registration_year: new Date(u.registered.date).getUTCFullYear(), password: u.login.password });
      }
    }
    expect(expected.size).toBeGreaterThan(RESPONSES);

    await eventually(() => countDocs(search.client(), profiles.index.alias), (c) => c >= expected.size, 120_000, 'profiles indexed');
    await sleep(2000);
    const docs = await allDocs(profiles.index.alias);
    expect(docs).toHaveLength(expected.size);
    expect(new Set(docs.map((d) => d._id))).toEqual(new Set(expected.keys()));

    const processed = await readAll(profiles.topics.output);
    expect(new Set(processed.map((m) => m.key!.toString()))).toEqual(new Set(expected.keys()));
    for (const where of [processed.map((m) => JSON.parse(m.value!.toString())), docs]) {
      for (const d of where) {
        for (const s of SECRETS) expect(keysOf(d).has(s)).toBe(false);
        expect(JSON.stringify(d)).not.toContain(`"${expected.get(d.user_id)!.password}"`);
      }
    }
    expect(docs.find((d) => d.user_id === '6a419018-a6eb-465c-b6b7-e1437182aa2b')).toMatchObject({ nationality: 'IE', location: { country: 'Ireland', postcode: '70963' } });
  });

  it('joins every login with its user\'s profile, across a kill -9 of the processor mid-stream', async () => {
    // The processor's table follows the processed topic; give it a moment past the index.
    await sleep(2000);
    const producing = produce(['--chain', 'login', '--rate', '2000', '--count', String(LOGINS), '--seed', '1']);
    await eventually(() => countDocs(search.client(), logins.index.alias), (c) => c >= LOGINS / 4, 60_000, 'a quarter of the logins indexed');
    await signalProcess(running.processor!, 'SIGKILL');
    start('processor');
    const summary = await producing;
    expect(summary.acked.valid).toBe(LOGINS);

    await eventually(() => countDocs(search.client(), logins.index.alias), (c) => c >= LOGINS, 180_000, 'all logins indexed');
    await sleep(2000);
    const docs = await allDocs(logins.index.alias);
    expect(docs).toHaveLength(LOGINS);

    let found = 0;
    for (const d of docs) {
      const want = expected.get(d.user_id);
      if (want) {
        const { password: _secret, ...block } = want;
        expect([d.user_id, d.profile]).toEqual([d.user_id, { found: true, ...block }]);
        found++;
      } else {
        expect([d.user_id, d.profile]).toEqual([d.user_id, { found: false }]);
      }
    }
    // Both kinds are there: the generated profiles cover only part of the login pool.
    expect(found).toBeGreaterThan(0);
    expect(found).toBeLessThan(LOGINS);
  });

  it('dead-letters broken responses with every credential redacted: no secret reaches the dead-letter topic', async () => {
    // Every kind of breakage in turn (bad uuid: one bad user dead-letters its whole response, with its neighbours' logins).
    const broken = await produce(['--chain', 'profiles', '--rate', '0', '--count', '60', '--seed', '7', '--malformed-ratio', '0.5']);
    const malformed = Object.values(broken.acked.malformed).reduce((a, b) => a + b, 0);
    expect(malformed).toBeGreaterThan(10);
    // Every credential of every user in the raw topic, as the dead letters could have carried them.
    const secrets = new Set<string>();
    const withSecrets = new Set<string>();
    for (const m of await readAll(profiles.topics.inputs[0]!)) {
      const text = m.value?.toString('utf8') ?? '';
      for (const match of text.matchAll(/"(password|salt|md5|sha1|sha256)"\s*:\s*"([^"]+)"/g)) {
        secrets.add(match[2]!);
        withSecrets.add(`${m.partition}/${m.offset}`);
      }
    }
    expect(secrets.size).toBeGreaterThan(100);
    const deadLetters = await eventually(() => readAll(profiles.topics.deadLetter), (d) => d.length >= malformed, 60_000, 'every broken response dead-lettered');
    expect(deadLetters).toHaveLength(malformed);
    let sourcesWithSecrets = 0;
    for (const d of deadLetters) {
      const text = d.value?.toString('utf8') ?? '';
      for (const secret of secrets) if (text.includes(`"${secret}"`)) throw new Error(`a credential reached the dead-letter topic: ${text.slice(0, 300)}`);
      const headers = Object.fromEntries((d.headers ?? []).flatMap((h) => Object.entries(h)).map(([k, v]) => [k, String(v)]));
      // A dead letter whose source held credentials says which it replaced; one whose source held none (a tombstone, a cut before the first login) says nothing.
      const source = `${headers['dlq.source.partition']}/${headers['dlq.source.offset']}`;
      if (withSecrets.has(source)) sourcesWithSecrets++;
      expect([source, headers['dlq.redacted'] !== undefined]).toEqual([source, withSecrets.has(source)]);
    }
    expect(sourcesWithSecrets).toBeGreaterThan(5);
  });
});

