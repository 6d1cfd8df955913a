import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@opensearch-project/opensearch';
import { runCommand } from '../harness';
import type { IndexFacet, ProcessingContext, ProcessingFacet } from '../pipeline/chains/types';
import { IpMode } from '../pipeline/enrich';
import type { GenerationFacet } from '../producer/src/chains';
import { processRecord, type SourceRecord } from '../pipeline/core';
import { ensureIndex } from '../pipeline/opensearch';
import { ROOT } from './options';
import { ProcessSampler } from './processSampler';
import { PARTITIONS } from './services';

/** The processor's defaults (consumer-processor/src/options.ts), so the core does the same work. */
export const PROCESSING_CONTEXT: Omit<ProcessingContext, 'nowMs'> = {
  ipMode: IpMode.MASK,
  ipHashSecret: undefined,
  currentAppVersion: '2.3.0',
  maxEventAgeMs: 3650 * 86_400_000,
  maxFutureSkewMs: 3600_000,
};
const PROCESS_OPTIONS = { maxRecordBytes: 64 * 1024, filters: [] };

/** Raw login records as the producer generates them, stamped now (valid only). */
export function generateRaw(chain: GenerationFacet, n: number, seed: number): SourceRecord[] {
  const it = chain.generator({ seed, startTimeMs: Date.now(), now: () => Date.now() });
  const out: SourceRecord[] = [];
  for (let i = 0; i < n; i++) {
    const g = it.next().value!;
    out.push({ topic: chain.topics.inputs[0]!, partition: i % PARTITIONS, offset: Math.floor(i / PARTITIONS), key: g.key ? Buffer.from(g.key) : null, value: g.value, headers: [], timestamp: Date.now() });
  }
  return out;
}

export interface CoreResult {
  readonly events: number;
  /** processRecord alone: validation + geoip + user agent + app version + time facets. */
  readonly eventsPerSec: number;
  /** ...plus JSON.stringify of the document, as the processor does before producing. */
  readonly withSerializePerSec: number;
}

/** The enrichment core on this one thread (one core), no Kafka. */
export function enrichmentCore(chain: ProcessingFacet, records: readonly SourceRecord[]): CoreResult {
  const ctx = { ...PROCESSING_CONTEXT, nowMs: Date.now() + 60_000 };
  // Warm up the JIT and the user-agent cache, as a running processor would be.
  for (let i = 0; i < Math.min(5000, records.length); i++) processRecord(chain, records[i]!, ctx, PROCESS_OPTIONS);
  let sink = 0;
  let t = performance.now();
  for (const r of records) if (processRecord(chain, r, ctx, PROCESS_OPTIONS).kind === 'ok') sink++;
  const core = (performance.now() - t) / 1000;
  t = performance.now();
  for (const r of records) {
    const o = processRecord(chain, r, ctx, PROCESS_OPTIONS);
    if (o.kind === 'ok') sink += Buffer.from(JSON.stringify(o.document)).length > 0 ? 1 : 0;
  }
  const withSer = (performance.now() - t) / 1000;
  if (sink !== records.length * 2) throw new Error(`enrichment core: ${records.length * 2 - sink} records were not ok`);
  return { events: records.length, eventsPerSec: records.length / core, withSerializePerSec: records.length / withSer };
}

export interface BulkCeiling {
  readonly docs: number;
  readonly docsPerSec: number;
  readonly batchDocs: number;
  readonly concurrency: number;
  readonly meanDocBytes: number;
  /** OpenSearch's CPU per document during the load, seconds: what the ceiling costs. */
  readonly openSearchCpuSecondsPerDoc: number | undefined;
}

/**
 * `_bulk` of the same enriched documents straight from memory: bodies built beforehand,
 * the indexer's batch size and concurrency, the chain's own template and ingest pipeline.
 *
 * OpenSearch is warmed up first with every document, untimed, into `warmChain`'s index
 * (deleted afterwards; no `warmChain`: OpenSearch is warm already); then every document is timed into a fresh index. The stack has
 * usually just started: a cold JVM indexed at a quarter of its warm rate, and warming with
 * a quarter of the documents still left the ceiling at 10,225 docs/s while the indexer
 * alone then reached 15,385 (bench/results of 2026-11-30).
 */
export async function rawBulk(client: Client, base: ProcessingFacet, chain: IndexFacet, warmChain: IndexFacet | undefined, records: readonly SourceRecord[], batchDocs: number, concurrency: number, refreshInterval: string | undefined, openSearchPid?: number): Promise<BulkCeiling> {
  const ctx = { ...PROCESSING_CONTEXT, nowMs: Date.now() + 60_000 };
  const docs: Array<{ id: string; source: Buffer }> = [];
  for (const r of records) {
    // The records carry the un-namespaced input topic: enrich with the base chain, index into ours.
    const o = processRecord(base, r, ctx, PROCESS_OPTIONS);
    if (o.kind !== 'ok') throw new Error(`raw bulk: a generated record was not processed: ${JSON.stringify(o)}`);
    docs.push({ id: o.id, source: Buffer.from(JSON.stringify(o.document)) });
  }
  const bytes = docs.reduce((sum, d) => sum + d.source.length, 0);
  const bodiesFor = (alias: string): Buffer[] => {
    const bodies: Buffer[] = [];
    for (let i = 0; i < docs.length; i += batchDocs) {
      const parts: Buffer[] = [];
      for (const d of docs.slice(i, i + batchDocs)) parts.push(Buffer.from(`{"index":{"_index":${JSON.stringify(alias)},"_id":${JSON.stringify(d.id)}}}\n`), d.source, Buffer.from('\n'));
      bodies.push(Buffer.concat(parts));
    }
    return bodies;
  };
  const load = async (bodies: readonly Buffer[]): Promise<void> => {
    let next = 0;
    const worker = async () => {
      while (next < bodies.length) {
        const res = await client.transport.request({ method: 'POST', path: '/_bulk', querystring: { filter_path: 'errors' }, body: bodies[next++]! });
        if ((res.body as { errors?: boolean }).errors) throw new Error('raw bulk: OpenSearch reported item errors');
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  };

  if (warmChain) {
    await ensureIndex(client, warmChain.index, { refreshInterval });
    await load(bodiesFor(warmChain.index.alias));
    await client.indices.delete({ index: warmChain.index.initialIndex }).catch(() => undefined);
  }

  await ensureIndex(client, chain.index, { refreshInterval });
  const timed = bodiesFor(chain.index.alias);
  const sampler = new ProcessSampler();
  if (openSearchPid) sampler.track('opensearch', openSearchPid);
  sampler.start();
  const t = performance.now();
  await load(timed);
  const seconds = (performance.now() - t) / 1000;
  const os = sampler.stop().processes.opensearch;
  return { docs: docs.length, docsPerSec: docs.length / seconds, batchDocs, concurrency, meanDocBytes: bytes / docs.length, openSearchCpuSecondsPerDoc: os ? os.cpuSeconds / docs.length : undefined };
}

/** A Kafka perf tool to its end, with its whole output. */
const run = (cmd: string, args: string[]) => runCommand(cmd, args, { cwd: ROOT, timeoutMs: 600_000 });

export interface KafkaCeiling {
  readonly records: number;
  readonly recordsPerSec: number;
  readonly mbPerSec: number;
  readonly recordBytes: number;
  readonly settings: Record<string, string>;
}

/** The producer's own librdkafka settings, in Java client names (pipeline/kafka/options.ts). */
export const JAVA_PRODUCER_PROPS = { acks: 'all', 'linger.ms': '5', 'compression.type': 'lz4', 'batch.size': '1000000', 'enable.idempotence': 'true' } as const;

/** Kafka's ProducerPerformance with the project's own records as payloads. */
export async function kafkaProducerPerf(brokers: string, topic: string, records: readonly SourceRecord[], n: number): Promise<KafkaCeiling> {
  const file = join(tmpdir(), `streamdex-bench-payload-${process.pid}.ndjson`);
  const sample = records.slice(0, Math.min(records.length, 10_000));
  writeFileSync(file, sample.map((r) => r.value!.toString()).join('\n'));
  const recordBytes = sample.reduce((a, r) => a + r.value!.length, 0) / sample.length;
  const props = Object.entries(JAVA_PRODUCER_PROPS).map(([k, v]) => `${k}=${v}`);
  const out = await run(join(ROOT, 'stack', 'bin', 'kafka-producer-perf-test'), [
    // As many records again first, excluded from the figures: the JVM's JIT warm-up would
    // otherwise be most of a short run, and our producer is measured warm-ish too.
    '--bootstrap-server', brokers, '--topic', topic, '--num-records', String(2 * n), '--warmup-records', String(n), '--throughput', '-1', '--payload-file', file, '--command-property', ...props,
  ]);
  // Last summary, the steady state after warm-up: "N records sent, X records/sec (Y MB/sec), ..."
  const m = [...out.matchAll(/(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\)/g)].pop();
  if (!m) throw new Error(`kafka-producer-perf-test: no summary in output:\n${out.slice(-2000)}`);
  return { records: Number(m[1]), recordsPerSec: Number(m[2]), mbPerSec: Number(m[3]), recordBytes, settings: { ...JAVA_PRODUCER_PROPS } };
}

/** Kafka's ConsumerPerformance on the topic ProducerPerformance filled; fetch rate excludes the group join. */
export async function kafkaConsumerPerf(brokers: string, topic: string, n: number, recordBytes: number): Promise<KafkaCeiling> {
  const out = await run(join(ROOT, 'stack', 'bin', 'kafka-consumer-perf-test'), [
    '--bootstrap-server', brokers, '--topic', topic, '--num-records', String(n), '--group', `bench-perf-${Date.now()}`, '--timeout', '30000',
  ]);
  const lines = out.trim().split('\n');
  const header = lines.findIndex((l) => l.startsWith('start.time'));
  const cols = lines[header]!.split(',').map((s) => s.trim());
  const vals = lines[header + 1]!.split(',').map((s) => s.trim());
  const get = (c: string) => Number(vals[cols.indexOf(c)]);
  return { records: get('data.consumed.in.nMsg'), recordsPerSec: get('fetch.nMsg.sec'), mbPerSec: get('fetch.MB.sec'), recordBytes, settings: {} };
}
