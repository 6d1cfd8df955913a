import { setTimeout as sleep } from 'node:timers/promises';
import type { Message } from '@confluentinc/kafka-javascript';
import { eventually, headerOf, readTopic, runToEnd, signalProcess, startService, type ProducerSummary, type RunningProcess } from '../../harness';
import { loginTopics } from '../../pipeline/chains/login/topics';
import { topicsWithNamespace } from '../../pipeline/chains/select';
import { DeadLetterHeader, EVENT_ID_HEADER } from '../../pipeline/core';
import { KafkaAdmin } from '../../pipeline/kafka';
import { KAFKA_BROKERS, uniqueName } from '../helpers/env';

/**
 * The processor under PROCESSING_GUARANTEE=exactly_once on the real broker, SIGKILLed while
 * it works through a stream with malformed records, then restarted: read with
 * read_committed, the processed topic holds every event id once and the dead-letter topic
 * every source coordinate once (at-least-once writes the batch in flight at the kill again).
 */
const PARTITIONS = 3;
const ns = `${uniqueName('eos')}-`;
const { topics } = topicsWithNamespace(loginTopics, ns);
const env = {
  KAFKA_BROKERS: KAFKA_BROKERS.join(','),
  STREAMDEX_NAMESPACE: ns,
  CHAINS: 'login',
  TOPIC_PARTITIONS: String(PARTITIONS),
  PROCESSING_GUARANTEE: 'exactly_once',
  // Small batches: many transactions, so the kill lands inside one.
  PROCESSOR_BATCH_SIZE: '200',
};
const running: RunningProcess[] = [];
const start = () => {
  const p = startService('processor', { env });
  running.push(p);
  return p;
};

afterAll(async () => {
  await Promise.all(running.map((p) => signalProcess(p, 'SIGTERM', 10_000)));
  const admin = new KafkaAdmin({ brokers: KAFKA_BROKERS, clientId: 'streamdex-test' });
  await admin.deleteTopics([...topics.inputs, topics.output, topics.deadLetter]).catch(() => undefined);
  admin.close();
});

interface TopicCount {
  readonly raw: number;
  readonly distinct: number;
}

async function count(topic: string, id: (m: Message) => string): Promise<TopicCount> {
  const ids = new Set<string>();
  const raw = await readTopic(env.KAFKA_BROKERS, topic, PARTITIONS, (m) => ids.add(id(m)), 60_000);
  return { raw, distinct: ids.size };
}

const eventId = (m: Message) => headerOf(m, EVENT_ID_HEADER) ?? '';
const coordinates = (m: Message) =>
  `${headerOf(m, DeadLetterHeader.SOURCE_TOPIC)}/${headerOf(m, DeadLetterHeader.SOURCE_PARTITION)}/${headerOf(m, DeadLetterHeader.SOURCE_OFFSET)}`;

describe('the processor under exactly_once', () => {
  it('writes every event and every dead letter exactly once although it is SIGKILLed mid-run', async () => {
    const created = await runToEnd('admin', { env, args: ['create-topics'] });
    expect(created.code).toBe(0);
    let processor = start();
    const producing = runToEnd('producer', { env, args: ['--chain', 'login', '--rate', '3000', '--count', '30000', '--seed', '7', '--malformed-ratio', '0.05'] });
    // Mid-run: some transactions committed, one open.
    await eventually(() => count(topics.output, eventId), (c) => c.raw >= 3000, 60_000, 'the first committed batches');
    await signalProcess(processor, 'SIGKILL');
    const atKill = await count(topics.output, eventId);
    processor = start();
    const produced = await producing;
    expect(produced.code).toBe(0);
    const summary = JSON.parse(produced.lastLine) as ProducerSummary;
    expect(summary.failed).toBe(0);
    const valid = summary.acked.valid;
    const malformed = Object.values(summary.acked.malformed).reduce((a, b) => a + b, 0);
    expect(malformed).toBeGreaterThan(0);
    // The kill was mid-run: part of the stream was processed by then, not all of it.
    expect(atKill.raw).toBeGreaterThan(0);
    expect(atKill.raw).toBeLessThan(valid);

    await eventually(() => count(topics.output, eventId), (c) => c.distinct >= valid, 180_000, 'every event processed');
    await eventually(() => count(topics.deadLetter, coordinates), (c) => c.distinct >= malformed, 60_000, 'every malformed record dead-lettered');
    // A duplicate would come from the batch open at the kill: give a late one time to show.
    await sleep(3000);
    const processed = await count(topics.output, eventId);
    const dead = await count(topics.deadLetter, coordinates);
    expect(processed).toEqual({ raw: valid, distinct: valid });
    expect(dead).toEqual({ raw: malformed, distinct: malformed });
  }, 300_000);
});
