import { KafkaConsumer, type Message } from '@confluentinc/kafka-javascript';
import { Client } from '@opensearch-project/opensearch';

/**
 * The design a user would try instead of Streamdex: a thin consumer that bulk-indexes the raw
 * events through an OpenSearch ingest pipeline doing the enrichment (`geoip`, `user_agent`,
 * both shipped with OpenSearch and offline). It is deliberately minimal but not naive: the
 * indexer's batch size and bulk concurrency, ids from Kafka coordinates so a replay overwrites,
 * offsets committed only after every bulk of a batch succeeded. It does less than Streamdex:
 * no validation, no dead letters, no masking, no time facets or app version, no processed topic.
 *
 * Configured by the environment (the bench starts it): PEER_BROKERS, PEER_TOPIC, PEER_GROUP,
 * PEER_OPENSEARCH_URL, PEER_INDEX, PEER_PIPELINE, PEER_BULK_DOCS, PEER_CONCURRENCY.
 * Prints one JSON line per state change on stdout: {"ready":true}, then {"indexed":N}.
 */

const env = (k: string, d?: string): string => {
  const v = process.env[k] ?? d;
  if (v === undefined) throw new Error(`${k} is required`);
  return v;
};

const brokers = env('PEER_BROKERS');
const topic = env('PEER_TOPIC');
const group = env('PEER_GROUP');
const index = env('PEER_INDEX');
const pipeline = env('PEER_PIPELINE');
const bulkDocs = Number(env('PEER_BULK_DOCS', '1000'));
const concurrency = Number(env('PEER_CONCURRENCY', '2'));
const refreshInterval = env('PEER_REFRESH_INTERVAL', '1s');
const client = new Client({ node: env('PEER_OPENSEARCH_URL'), requestTimeout: 120_000 });

const say = (o: object) => process.stdout.write(`${JSON.stringify(o)}\n`);

/** Where geoip and the user-agent parser write; `timestamp` is the take-home's epoch seconds. */
const PEER_PIPELINE_BODY = {
  description: 'peer: enrich raw logins in OpenSearch',
  processors: [
    { geoip: { field: 'ip', target_field: 'geo', ignore_missing: true } },
    { user_agent: { field: 'user_agent', target_field: 'user_agent', ignore_missing: true } },
  ],
};

async function setUp(): Promise<void> {
  await client.ingest.putPipeline({ id: pipeline, body: PEER_PIPELINE_BODY });
  const exists = await client.indices.exists({ index });
  if (exists.body) return;
  await client.indices.create({
    index,
    body: {
      // The same shard, replica and refresh settings as Streamdex's login index.
      settings: { number_of_shards: 1, number_of_replicas: 0, refresh_interval: refreshInterval, default_pipeline: pipeline },
      mappings: {
        // Strings as keywords (no analysed text copy): the lean choice a dashboard user makes.
        dynamic_templates: [{ strings: { match_mapping_type: 'string', mapping: { type: 'keyword', ignore_above: 256 } } }],
        properties: { timestamp: { type: 'date', format: 'epoch_second' }, ip: { type: 'ip' }, geo: { properties: { location: { type: 'geo_point' } } } },
      },
    },
  });
}

const NL = Buffer.from('\n');

function bulkBody(messages: readonly Message[]): Buffer {
  const parts: Buffer[] = [];
  for (const m of messages) {
    if (!m.value) continue;
    parts.push(Buffer.from(`{"index":{"_id":"${m.topic}-${m.partition}-${m.offset}"}}\n`), m.value, NL);
  }
  return Buffer.concat(parts);
}

async function bulk(body: Buffer): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await client.transport.request({ method: 'POST', path: `/${index}/_bulk`, querystring: { filter_path: 'errors,items.*.error' }, body });
      const b = res.body as { errors?: boolean; items?: unknown[] };
      if (b.errors) throw Object.assign(new Error(`bulk item errors: ${JSON.stringify(b.items?.slice(0, 3))}`), { permanent: true });
      return;
    } catch (err) {
      if ((err as { permanent?: boolean }).permanent || attempt >= 10) throw err;
      await new Promise((r) => setTimeout(r, Math.min(10_000, 100 * 2 ** attempt)));
    }
  }
}

async function main(): Promise<void> {
  await setUp();
  const consumer = new KafkaConsumer(
    { 'bootstrap.servers': brokers, 'group.id': group, 'enable.auto.commit': false, rebalance_cb: true },
    { 'auto.offset.reset': 'earliest' },
  );
  consumer.on('rebalance', (err) => {
    if (err.code === -175) say({ ready: true });
  });
  await new Promise<void>((resolve, reject) => consumer.connect({}, (err) => (err ? reject(err) : resolve())));
  consumer.subscribe([topic]);
  consumer.setDefaultConsumeTimeout(100);
  let stopping = false;
  process.once('SIGTERM', () => (stopping = true));
  process.once('SIGINT', () => (stopping = true));
  let indexed = 0;
  while (!stopping) {
    const batch = await new Promise<Message[]>((resolve, reject) => consumer.consume(bulkDocs * concurrency, (err, ms) => (err ? reject(err) : resolve(ms))));
    if (batch.length === 0) continue;
    const bulks: Promise<void>[] = [];
    for (let i = 0; i < batch.length; i += bulkDocs) bulks.push(bulk(bulkBody(batch.slice(i, i + bulkDocs))));
    await Promise.all(bulks);
    // Only now, with every document of the batch stored: the next offset of each partition.
    const next = new Map<number, number>();
    for (const m of batch) next.set(m.partition, Math.max(next.get(m.partition) ?? 0, m.offset + 1));
    consumer.commitSync([...next].map(([partition, offset]) => ({ topic, partition, offset })));
    indexed += batch.length;
    say({ indexed });
  }
  await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
  await client.close();
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`peer: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    },
  );
}
