import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTopic, runToEnd } from '../../harness';
import { topicsWithNamespace } from '../../pipeline/chains/select';
import { musicTopics } from '../../pipeline/chains/music/topics';
import { KAFKA_BROKERS, uniqueName } from '../helpers/env';
import { useTopics } from '../helpers/kafka';

/**
 * The real producer with ./streamdex's music flags (services.json) for 20 s against the
 * real broker: the backfill is done well within that time, "Last 15 minutes" has events,
 * and no event is stamped after the moment the producer handed it to Kafka.
 */
const ns = `${uniqueName('e2e-music-live')}-`;
const chain = topicsWithNamespace(musicTopics, ns);
const topics = useTopics();
const services = JSON.parse(readFileSync(join(__dirname, '..', '..', 'services.json'), 'utf8')) as { services: Array<{ name: string; args: string[] }> };
const args = services.services.find((s) => s.name === 'producer-music')!.args;

it('sends two days of history and then live events, none ahead of the clock', async () => {
  await topics.create(chain.topics.inputs.map((name) => ({ name, partitions: 1 })));
  const startedAt = Date.now();
  const r = await runToEnd('producer', { env: { KAFKA_BROKERS: KAFKA_BROKERS.join(','), STREAMDEX_NAMESPACE: ns }, args: [...args, '--duration', '20'] });
  expect(r.code).toBe(0);
  const endedAt = Date.now();

  let read = 0;
  let oldest = Infinity;
  let recent = 0;
  const ahead: string[] = [];
  for (const topic of chain.topics.inputs) {
    read += await readTopic(KAFKA_BROKERS.join(','), topic, 1, (m) => {
      const ts = (JSON.parse(m.value!.toString()) as { ts: number }).ts;
      oldest = Math.min(oldest, ts);
      if (ts >= endedAt - 15 * 60_000) recent++;
      // The record's own Kafka timestamp is the producer's wall clock when it sent it.
      if (ts > m.timestamp!) ahead.push(`${topic}@${m.offset}: ts ${ts} > sent ${m.timestamp}`);
    });
  }
  const summary = JSON.parse(r.lastLine) as { acked: { valid: number } };
  expect(read).toBe(summary.acked.valid);
  expect(ahead).toEqual([]);
  expect(oldest).toBeLessThan(startedAt - 47 * 3600_000);
  expect(recent).toBeGreaterThan(10);
}, 120_000);
