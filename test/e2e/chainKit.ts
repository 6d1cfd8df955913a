import { setTimeout as sleep } from 'node:timers/promises';
import type { Message } from '@confluentinc/kafka-javascript';
import type { Client } from '@opensearch-project/opensearch';
import { countDocs, eventually, headerOf, readTopic, runToEnd, signalProcess, startService, type ProducerSummary, type RunningProcess } from '../../harness';
import { deadLetterIndexWithNamespace } from '../../pipeline/chains/deadLetterIndex';
import { indexingWithNamespace } from '../../pipeline/chains/indexing';
import type { IndexFacet } from '../../pipeline/chains/types';
import { DeadLetterCode, DeadLetterHeader } from '../../pipeline/core';
import { KafkaProducer } from '../../pipeline/kafka';
import { KAFKA_BROKERS, OPENSEARCH_URL, uniqueName } from '../helpers/env';
import { useTopics } from '../helpers/kafka';
import { useOpenSearch } from '../helpers/opensearch';

export const PARTITIONS = 3;

/** Every code the processor gives the malformed kinds the producer makes for the login and music chains. */
export const MALFORMED_CODES = [
  DeadLetterCode.EMPTY_VALUE,
  DeadLetterCode.INVALID_UTF8,
  DeadLetterCode.NOT_JSON,
  DeadLetterCode.NOT_OBJECT,
  DeadLetterCode.SCHEMA,
  DeadLetterCode.TIMESTAMP_OUT_OF_RANGE,
  DeadLetterCode.TOMBSTONE,
  DeadLetterCode.TOO_LARGE,
] as const;

export const sum = (o: Record<string, number>): number => Object.values(o).reduce((a, b) => a + b, 0);

type Consumer = 'processor' | 'indexer';

export interface DeadLetters {
  readonly messages: Message[];
  /** Distinct source coordinates (topic/partition/offset) among them. */
  readonly distinct: number;
}

/**
 * What every e2e chain test does around its assertions: one chain under a namespace of its
 * own, the real services as processes on the local stack, and everything it created
 * removed after the file (registered here, so no test forgets).
 */
export function chainKit<C extends IndexFacet>(definition: C) {
  const ns = `${uniqueName(`e2e-${definition.name}`)}-`;
  const chain = indexingWithNamespace(definition, ns) as C;
  const deadLetterAlias = deadLetterIndexWithNamespace(ns).alias;
  const allTopics = [...chain.topics.inputs, chain.topics.output, chain.topics.deadLetter];
  const env = { KAFKA_BROKERS: KAFKA_BROKERS.join(','), OPENSEARCH_URL, STREAMDEX_NAMESPACE: ns, CHAINS: definition.name, TOPIC_PARTITIONS: String(PARTITIONS) };
  const running: Partial<Record<Consumer, RunningProcess>> = {};
  // Registered before the helpers' own hooks, as jest runs afterAll hooks in that order: the
  // services stop before their indices go, and the topics go before the shared admin closes.
  afterAll(async () => {
    await Promise.all(Object.values(running).map((s) => signalProcess(s, 'SIGTERM')));
    await topics.admin().deleteTopics([...allTopics, `${ns}streamdex-health`]).catch(() => undefined);
  });
  const topics = useTopics();
  const search = useOpenSearch();
  search.cleanup(`${ns}*`);

  const os = (): Client => search.client();
  const count = () => countDocs(os(), chain.index.alias);
  const start = (which: Consumer) => (running[which] = startService(which, { env }));

  return {
    ns,
    chain,
    /** Inputs, output and dead-letter topic of the chain. */
    allTopics,
    os,
    /** The admin CLI's create-topics must exit 0 and leave every topic of the chain on the broker. */
    async expectTopicsCreated(): Promise<void> {
      const r = await runToEnd('admin', { env, args: ['create-topics'] });
      expect(r.code).toBe(0);
      // A created topic reaches the broker's metadata a moment after the controller's answer.
      const listed = await eventually(() => topics.admin().listTopics(), (names) => allTopics.every((t) => names.includes(t)), 10_000, 'the created topics in the metadata');
      expect(listed).toEqual(expect.arrayContaining(allTopics));
    },
    /** Processor and indexer, one process each. */
    startConsumers(): void {
      start('processor');
      start('indexer');
    },
    /** SIGKILL mid-run, then a fresh process in its place. */
    async killAndRestart(which: Consumer): Promise<void> {
      await signalProcess(running[which]!, 'SIGKILL');
      start(which);
    },
    /** The producer CLI to its end: it must exit 0 having failed no send. */
    async produce(args: readonly string[]): Promise<ProducerSummary> {
      const r = await runToEnd('producer', { env, args });
      expect(r.code).toBe(0);
      const summary = JSON.parse(r.lastLine) as ProducerSummary;
      expect(summary.failed).toBe(0);
      return summary;
    },
    /** Hand-written events, straight to the chain's first input topic. */
    async send(records: ReadonlyArray<{ key: string; value: unknown }>): Promise<void> {
      const producer = new KafkaProducer({ brokers: KAFKA_BROKERS });
      await producer.connect();
      await Promise.all(records.map((r) => producer.send({ topic: chain.topics.inputs[0]!, key: r.key, value: Buffer.from(JSON.stringify(r.value)) })));
      await producer.close();
    },
    count,
    /** Waits until the chain's alias holds at least `n` documents; returns the count then. */
    reach: (n: number, timeoutMs: number, what: string) => eventually(count, (c) => c >= n, timeoutMs, what),
    /**
     * Waits for `expected` documents, lets late duplicate writes land (they would overwrite,
     * never add), and checks the count is then exactly `expected`. Returns the first count
     * that reached it.
     */
    async expectExactly(expected: number, timeoutMs: number, settleMs: number, what: string): Promise<number> {
      const reached = await eventually(count, (c) => c >= expected, timeoutMs, what);
      await sleep(settleMs);
      expect(await count()).toBe(expected);
      return reached;
    },
    /**
     * The dead-letter topic, read until `expected` distinct source records are in it. It is
     * at-least-once like the processed topic (a processor killed after a dead letter was
     * acknowledged but before its offset was committed writes it again), so it is counted by
     * the source coordinates each dead letter names.
     */
    async deadLetters(expected: number): Promise<DeadLetters> {
      const coordinates = (m: Message) =>
        `${headerOf(m, DeadLetterHeader.SOURCE_TOPIC)}/${headerOf(m, DeadLetterHeader.SOURCE_PARTITION)}/${headerOf(m, DeadLetterHeader.SOURCE_OFFSET)}`;
      const read = async (): Promise<DeadLetters> => {
        const messages: Message[] = [];
        await readTopic(env.KAFKA_BROKERS, chain.topics.deadLetter, PARTITIONS, (m) => messages.push(m), 30_000);
        return { messages, distinct: new Set(messages.map(coordinates)).size };
      };
      return eventually(read, (d) => d.distinct >= expected, 60_000, 'dead letters');
    },
    /**
     * The dead-letter index holds exactly one document per distinct dead letter on the topic
     * (the same count), each under its source coordinates with the code, stage and field its
     * headers give. Waits for the indexer to get there, then compares document by document.
     */
    async expectDeadLettersIndexed(dead: DeadLetters): Promise<void> {
      const query = { term: { chain: definition.name } };
      const indexed = () => countDocs(os(), deadLetterAlias, query);
      await eventually(indexed, (n) => n >= dead.distinct, 60_000, 'dead letters indexed');
      await sleep(2000);
      expect(await indexed()).toBe(dead.distinct);
      const r = await os().search({ index: deadLetterAlias, body: { query, size: 10_000, sort: [{ 'source.offset': 'asc' }] } as never });
      const hits = (r.body as unknown as { hits: { hits: Array<{ _id: string; _source: Record<string, any> }> } }).hits.hits;
      const fromIndex = new Map(
        hits.map((h) => [h._id, [h._source.source.topic, h._source.source.partition, h._source.source.offset, h._source.code, h._source.stage, h._source.field ?? null].join('|')]),
      );
      const fromTopic = new Map(
        dead.messages.map((m) => {
          const [topic, partition, offset] = [DeadLetterHeader.SOURCE_TOPIC, DeadLetterHeader.SOURCE_PARTITION, DeadLetterHeader.SOURCE_OFFSET].map((k) => headerOf(m, k)!);
          const row = [topic, Number(partition), Number(offset), headerOf(m, DeadLetterHeader.CODE), headerOf(m, DeadLetterHeader.STAGE), headerOf(m, DeadLetterHeader.FIELD) ?? null];
          return [`${topic}-${partition}-${offset}`, row.join('|')];
        }),
      );
      expect(fromIndex).toEqual(fromTopic);
      // Every document says where its dead letter is, and how to read it back.
      for (const h of hits) {
        expect(h._source.dead_letter.topic).toBe(chain.topics.deadLetter);
        expect(h._source.read_command).toContain(`-t ${chain.topics.deadLetter} -p ${h._source.dead_letter.partition} -o ${h._source.dead_letter.offset}`);
      }
    },
    /** `_source` of the documents matching a query. */
    async hits(query: unknown, size = 100): Promise<Array<Record<string, any>>> {
      const r = await os().search({ index: chain.index.alias, body: { query, size } as never });
      return (r.body as unknown as { hits: { hits: Array<{ _source: Record<string, any> }> } }).hits.hits.map((h) => h._source);
    },
  };
}
