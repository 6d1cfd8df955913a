import { setTimeout as sleep } from 'node:timers/promises';
import { countDistinct, headerOf as header } from '../../harness';
import { loginIndexing } from '../../pipeline/chains/login/indexing';
import { DeadLetterCode, DeadLetterHeader } from '../../pipeline/core';
import { chainKit, MALFORMED_CODES, sum } from './chainKit';

/**
 * The take-home's chain on the real stack, with the real services as processes:
 * producer -> user-login -> processor -> processed-user-login -> indexer -> OpenSearch.
 * Counts must come out exact even though each consumer is SIGKILLed mid-run.
 */
const kit = chainKit(loginIndexing);
const { chain } = kit;

let produced: { valid: number; malformed: Record<string, number> };

describe('the login chain on the real stack', () => {
  it('creates its topics with the admin command', async () => {
    await kit.expectTopicsCreated();
  });

  it('indexes every valid event exactly once and dead-letters every malformed one, although processor and indexer are killed mid-run', async () => {
    kit.startConsumers();

    // ~6 s of traffic at 2000/s, 5% of it broken in every way the producer knows.
    const producing = kit.produce(['--chain', 'login', '--rate', '2000', '--count', '12000', '--malformed-ratio', '0.05', '--seed', '7']);

    await sleep(2000);
    await kit.killAndRestart('processor');
    await sleep(2000);
    await kit.killAndRestart('indexer');

    produced = (await producing).acked;
    expect(produced.valid + sum(produced.malformed)).toBe(12000);
    // Every malformed kind was really produced, so "all dead-lettered" means something.
    expect(Object.keys(produced.malformed).sort()).toEqual(
      ['ancient_timestamp', 'empty', 'fractional_timestamp', 'future_timestamp', 'invalid_utf8', 'missing_field', 'not_json', 'not_object', 'oversized', 'tombstone', 'wrong_type'].sort(),
    );

    const indexed = await kit.expectExactly(produced.valid, 120_000, 3000, 'all valid events indexed');
    expect(indexed).toBe(produced.valid);

    // Every input offset is represented by exactly one document: nothing lost, nothing doubled.
    expect(await countDistinct(kit.os(), chain.index.alias, ['source.partition', 'source.offset'])).toBe(produced.valid);

    // Every document carries its end-to-end latency: raw record's Kafka timestamp to indexed_at.
    const sample = await kit.hits({ match_all: {} }, 200);
    for (const d of sample) {
      expect(d.latency_ms).toBe(Date.parse(d.indexed_at) - d.source.timestamp);
      expect(d.latency_ms).toBeGreaterThanOrEqual(0);
    }
    const missing = await kit.os().count({ index: chain.index.alias, body: { query: { bool: { must_not: { exists: { field: 'latency_ms' } } } } } as never });
    expect((missing.body as { count: number }).count).toBe(0);
  });

  it('dead-letters every malformed record, with its reason, failing field and source coordinates', async () => {
    // At-least-once, like the processed topic: counted by the source record each names.
    const deadLetters = await kit.deadLetters(sum(produced.malformed));
    const { messages: dead, distinct } = deadLetters;
    expect(distinct).toBe(sum(produced.malformed));
    for (const m of dead) {
      expect(header(m, DeadLetterHeader.SOURCE_TOPIC)).toBe(chain.topics.inputs[0]);
      expect(header(m, DeadLetterHeader.REASON)).toEqual(expect.any(String));
      expect(header(m, DeadLetterHeader.STAGE)).toBe('processor');
    }
    const codes = new Set(dead.map((m) => header(m, DeadLetterHeader.CODE)));
    expect([...codes].sort()).toEqual([...MALFORMED_CODES].sort());
    // Distinct by source offset: a dead letter can be written twice after a kill.
    const fractional = dead.filter((m) => header(m, DeadLetterHeader.REASON) === 'timestamp: not a whole number');
    const offsets = new Set(fractional.map((m) => `${header(m, DeadLetterHeader.SOURCE_PARTITION)}/${header(m, DeadLetterHeader.SOURCE_OFFSET)}`));
    expect(offsets.size).toBe(produced.malformed.fractional_timestamp);
    // The original bytes travel unchanged, so a fixed record can be replayed.
    const tooLarge = dead.find((m) => header(m, DeadLetterHeader.CODE) === DeadLetterCode.TOO_LARGE)!;
    expect(tooLarge.value!.length).toBeGreaterThan(64 * 1024);

    // The indexer puts every one of them into the dead-letter index, one document per source record.
    await kit.expectDeadLettersIndexed(deadLetters);
  });

  it('enriches known addresses and user agents correctly', async () => {
    const now = Math.floor(Date.now() / 1000);
    const base = { app_version: '2.1.0', locale: 'RI', device_id: '593-47-5928', timestamp: String(now) };
    const events = [
      { ...base, user_id: 'known-gb', ip: '81.2.69.142', device_type: 'iOS', user_agent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1' },
      { ...base, user_id: 'known-us', ip: '8.8.8.8', app_version: '2.3.0', user_agent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36' },
      { ...base, user_id: 'known-private', ip: '192.168.1.20', device_type: 'android' },
      { ...base, user_id: 'bad-ip', ip: '999.1.1.1', device_type: 'android', user_agent: 'curl/8.5.0' },
    ];
    await kit.send(events.map((e) => ({ key: e.user_id, value: e })));
    await kit.reach(produced.valid + 4, 60_000, 'known events indexed');

    const get = async (user: string) => {
      const hits = await kit.hits({ term: { user_id: user } }, 10);
      expect(hits).toHaveLength(1);
      return hits[0]!;
    };
    const gb = await get('known-gb');
    expect(gb.geo).toMatchObject({ country: 'GB', location: { lat: expect.any(Number), lon: expect.any(Number) } });
    expect(gb.ip).toBe('81.2.69.xxx');
    expect(gb.user_agent).toMatchObject({ os: 'iOS', browser: 'Mobile Safari', device_type: 'mobile' });
    expect(gb.app).toEqual({ major: 2, minor: 1, patch: 0, outdated: true });
    expect(gb.timestamp).toBe(now);
    expect(gb.event_time).toBe(new Date(now * 1000).toISOString());

    const us = await get('known-us');
    expect(us.geo.country).toBe('US');
    expect(us.device_type).toBe('unknown');
    expect(us.user_agent).toMatchObject({ os: 'Android', browser: 'Chrome' });
    expect(us.app.outdated).toBe(false);

    const lan = await get('known-private');
    expect(lan.geo).toBeUndefined();
    expect(lan.ip_class).toBe('private');

    // A defect in a non-key field keeps the login, with the defect on the document.
    const badIp = await get('bad-ip');
    expect(badIp.quality).toEqual({ dialect: 'takehome', defects: ['ip_unparseable'] });
    expect(badIp.ip).toBeUndefined();
    expect(badIp.user_agent).toEqual({ original: 'curl/8.5.0', agent_class: 'tool' });
  });
});
