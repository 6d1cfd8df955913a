import { Registry } from 'prom-client';
import { selectProcessing } from '../../pipeline/chains/processing';
import { profilesProcessing } from '../../pipeline/chains/profiles/processing';
import { processRecordAll } from '../../pipeline/core';
import { IpMode } from '../../pipeline/enrich';
import { KafkaProducer } from '../../pipeline/kafka';
import { createLogger } from '../../pipeline/logger';
import { randomUser } from '../../producer/src/generators/profiles';
import { startProfileJoin } from '../../consumer-processor/src/profileJoin';
import { KAFKA_BROKERS, uniqueName } from '../helpers/env';
import { useTopics } from '../helpers/kafka';

/**
 * The processor's restore against the broker: startProfileJoin resolves only with every
 * user of the processed-profile topic in the table (the processor awaits it in setup,
 * before its group consumer connects), the latest version of a user winning.
 */
const NOW = Date.now();
const topics = useTopics();
const logger = createLogger('test', 'silent');
const ctx = { nowMs: NOW, ipMode: IpMode.MASK, ipHashSecret: undefined, currentAppVersion: '2.3.0', maxEventAgeMs: 3650 * 86_400_000, maxFutureSkewMs: 3600_000 };
const uuid = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

it('restores every user of the processed-profile topic before it resolves, then follows it', async () => {
  const ns = `${uniqueName('join')}-`;
  const chains = selectProcessing(['login', 'profiles'], ns);
  const output = chains.find((c) => c.name === 'profiles')!.topics.output;
  await topics.create([{ name: output, partitions: 3, config: { 'cleanup.policy': 'compact' } }]);

  // 1,000 users, then a later profile of the first 100 with another nationality.
  const processed = (i: number, nat: string) => {
    const u = { ...randomUser(uuid(i), 'US', NOW), nat };
    const [o] = processRecordAll(profilesProcessing, { topic: 'user-profiles', partition: 0, offset: i, key: null, value: Buffer.from(JSON.stringify(u)), headers: [], timestamp: NOW }, ctx, { maxRecordBytes: 65_536, filters: [] });
    if (o?.kind !== 'ok') throw new Error(JSON.stringify(o));
    return { topic: output, key: o.key, value: Buffer.from(JSON.stringify(o.document)) };
  };
  const producer = new KafkaProducer({ brokers: KAFKA_BROKERS });
  await producer.connect();
  await Promise.all(Array.from({ length: 1000 }, (_, i) => producer.send(processed(i, 'US'))));
  await Promise.all(Array.from({ length: 100 }, (_, i) => producer.send(processed(i, 'FR'))));

  const join = (await startProfileJoin(chains, { brokers: KAFKA_BROKERS, clientId: 'streamdex-test' }, logger, new Registry()))!;
  try {
    expect(join.table.size).toBe(1000);
    for (let i = 0; i < 1000; i++) expect([i, join.table.lookup(uuid(i))?.nationality]).toEqual([i, i < 100 ? 'FR' : 'US']);

    await producer.send(processed(5000, 'DE'));
    const deadline = Date.now() + 15_000;
    while (!join.table.lookup(uuid(5000)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(join.table.lookup(uuid(5000))?.nationality).toBe('DE');
  } finally {
    await producer.close();
    await join.tail.close();
  }
});

it('joins nothing when the processor does not run both chains', async () => {
  expect(await startProfileJoin(selectProcessing(['login']), { brokers: KAFKA_BROKERS, clientId: 'streamdex-test' }, logger, new Registry())).toBeUndefined();
});
