import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, loadavg, release } from 'node:os';
import type { Client } from '@opensearch-project/opensearch';
import { loadConfig } from '../pipeline/config';
import { producerConfig, consumerConfig } from '../pipeline/kafka';
import { processorSettings } from '../consumer-processor/src/options';
import { indexerSettings } from '../consumer-indexer/src/options';
import { ROOT } from './options';
import { PARTITIONS } from './services';
import { JAVA_PRODUCER_PROPS } from './ceilings';

export interface Machine {
  readonly cpuModel: string;
  readonly cores: number;
  readonly ramGiB: number;
  readonly kernel: string;
  readonly node: string;
  readonly loadAvg: readonly number[];
  /** Stack JVMs of other instances running when the bench started (noise). */
  readonly otherStacks: readonly string[];
}

export function describeMachine(stackHome: string): Machine {
  const memKb = Number(/^MemTotal:\s+(\d+)/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0);
  return {
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    ramGiB: Math.round((memKb / 1024 / 1024) * 10) / 10,
    kernel: release(),
    node: process.version,
    loadAvg: loadavg().map((l) => Math.round(l * 100) / 100),
    otherStacks: otherStacks(stackHome),
  };
}

/** What the figures depend on, read from the same code and settings the services use. */
export function describeConfiguration(env: NodeJS.ProcessEnv) {
  const p = loadConfig(processorSettings, env);
  const i = loadConfig(indexerSettings, env);
  const prod = producerConfig({ brokers: ['x'], lingerMs: p.PROCESSOR_LINGER_MS }) as Record<string, unknown>;
  const cons = consumerConfig({ brokers: ['x'], groupId: 'x', topics: [] }) as Record<string, unknown>;
  return {
    versions: { ...stackVersions() },
    heaps: { kafka: env.KAFKA_HEAP ?? '-Xms256m -Xmx512m', opensearch: env.OPENSEARCH_HEAP ?? '1g' },
    kafka: {
      partitions: PARTITIONS,
      replicationFactor: 1,
      acks: prod.acks,
      idempotent: prod['enable.idempotence'],
      lingerMs: prod['linger.ms'],
      batchSizeBytes: prod['batch.size'],
      compression: prod['compression.codec'],
      consumerFetchWaitMaxMs: cons['fetch.wait.max.ms'],
      consumerQueuedMaxKbytes: cons['queued.max.messages.kbytes'],
      processorBatch: p.PROCESSOR_BATCH_SIZE,
      processorMaxInFlight: p.PROCESSOR_MAX_IN_FLIGHT,
      indexerBatch: i.INDEXER_BATCH_SIZE,
      indexerMaxInFlight: i.INDEXER_MAX_IN_FLIGHT,
      perfToolProps: { ...JAVA_PRODUCER_PROPS },
    },
    opensearch: {
      bulkMaxDocs: i.BULK_MAX_DOCS,
      bulkMaxBytes: i.BULK_MAX_BYTES,
      bulkFlushMs: i.BULK_FLUSH_MS,
      bulkConcurrency: i.BULK_CONCURRENCY,
      shards: undefined as string | undefined,
      replicas: undefined as string | undefined,
      /** INDEX_REFRESH_INTERVAL when set; replaced by what the index really has once one exists. */
      refreshInterval: i.INDEX_REFRESH_INTERVAL as string | undefined,
    },
  };
}
export type Configuration = ReturnType<typeof describeConfiguration>;

/** Shards, replicas and refresh interval as the index really has them (template applied). */
export async function readIndexSettings(client: Client, alias: string, c: Configuration): Promise<void> {
  const res = await client.transport.request({ method: 'GET', path: `/${alias}/_settings`, querystring: { include_defaults: 'true', flat_settings: 'true' } });
  const body = res.body as Record<string, { settings: Record<string, string>; defaults?: Record<string, string> }>;
  const idx = Object.values(body)[0];
  if (!idx) return;
  const get = (k: string) => idx.settings[k] ?? idx.defaults?.[k];
  c.opensearch.shards = get('index.number_of_shards');
  c.opensearch.replicas = get('index.number_of_replicas');
  c.opensearch.refreshInterval = get('index.refresh_interval');
}

/** Versions pinned in stack/pom.xml. */
export function stackVersions(): { kafka: string; opensearch: string } {
  const pom = readFileSync(join(ROOT, 'stack', 'pom.xml'), 'utf8');
  const v = (name: string) => new RegExp(`<${name}\\.version>([^<]+)<`).exec(pom)?.[1] ?? 'unknown';
  return { kafka: v('kafka'), opensearch: v('opensearch') };
}

/** Stack JVMs of other instances running on this machine (they share our cores). */
export function otherStacks(stackHome: string): string[] {
  let out = '';
  try {
    out = execFileSync('pgrep', ['-af', 'streamdex\\.stack\\.'], { encoding: 'utf8' });
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
  const homes = new Set<string>();
  for (const m of out.matchAll(/-Dstreamdex\.stack\.(kafka|opensearch)=(\S+)/g)) {
    if (m[2] !== stackHome) homes.add(`${m[1]}@${m[2]}`);
  }
  return [...homes].sort();
}
