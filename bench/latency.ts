import type { Client } from '@opensearch-project/opensearch';
import { sleep } from '../pipeline/retry';
import { percentiles } from './percentiles';
import { runProducer, waitForCount } from './services';
import type { StackInstance } from '../harness';
import { INDEXED, INDEXED_OK, serviceEnv, type Pipeline } from './stages';

export interface LatencyPhase {
  /** Share of the maximum rate asked for. */
  readonly share: number;
  readonly targetRate: number;
  readonly achievedRate: number;
  readonly events: number;
  /** Milliseconds, p50/p95/p99: creation (producer send, Kafka timestamp) to searchable. */
  readonly total: Record<string, number>;
  readonly hops: {
    /** Kafka timestamp of the raw record -> processor's ingested_at. */
    readonly produceToProcessed: Record<string, number>;
    /** ingested_at -> OpenSearch ingest pipeline's indexed_at. */
    readonly processedToIndexed: Record<string, number>;
    /** indexed_at -> first poll that saw a visible max(indexed_at) at or past it (refresh). */
    readonly indexedToVisible: Record<string, number>;
  };
}

interface Visibility {
  /** Poll answer times (epoch ms) and the largest indexed_at searchable then. */
  readonly at: number[];
  readonly maxIndexed: number[];
  stop(): Promise<void>;
}

/**
 * Searchability, cheaply: every `pollMs`, the largest indexed_at a search can see. A refresh
 * makes everything indexed before it visible at once, so a document is visible from the
 * first poll whose maximum is at or past its own indexed_at.
 */
function watchVisibility(client: Client, alias: string, pollMs = 50): Visibility {
  const v = { at: [] as number[], maxIndexed: [] as number[], running: true };
  const loop = (async () => {
    while (v.running) {
      try {
        const res = await client.transport.request({ method: 'POST', path: `/${alias}/_search`, querystring: { filter_path: 'aggregations' }, body: { size: 0, track_total_hits: false, aggs: { m: { max: { field: 'indexed_at' } } } } });
        const value = (res.body as { aggregations?: { m?: { value?: number | null } } }).aggregations?.m?.value;
        if (typeof value === 'number') {
          v.at.push(Date.now());
          v.maxIndexed.push(value);
        }
      } catch {
        /* a missed poll only coarsens the resolution */
      }
      await sleep(pollMs);
    }
  })();
  return { at: v.at, maxIndexed: v.maxIndexed, stop: async () => ((v.running = false), await loop) };
}

interface DocTimes {
  created: number;
  ingested: number;
  indexed: number;
}

async function fetchTimes(client: Client, alias: string, from: number, to: number): Promise<DocTimes[]> {
  const out: DocTimes[] = [];
  const query = { range: { 'source.timestamp': { gte: from, lte: to } } };
  let res = await client.transport.request({ method: 'POST', path: `/${alias}/_search`, querystring: { scroll: '1m' }, body: { size: 5000, query, _source: ['source.timestamp', 'ingested_at', 'indexed_at'] } });
  for (;;) {
    const body = res.body as { _scroll_id: string; hits: { hits: Array<{ _source: { source: { timestamp: number }; ingested_at: string; indexed_at: string } }> } };
    if (body.hits.hits.length === 0) {
      await client.transport.request({ method: 'DELETE', path: '/_search/scroll', body: { scroll_id: body._scroll_id } }).catch(() => undefined);
      return out;
    }
    for (const h of body.hits.hits) out.push({ created: h._source.source.timestamp, ingested: Date.parse(h._source.ingested_at), indexed: Date.parse(h._source.indexed_at) });
    res = await client.transport.request({ method: 'POST', path: '/_search/scroll', body: { scroll: '1m', scroll_id: body._scroll_id } });
  }
}

async function countIn(client: Client, alias: string, from: number, to: number): Promise<number> {
  const res = await client.transport.request({ method: 'POST', path: `/${alias}/_count`, body: { query: { range: { 'source.timestamp': { gte: from, lte: to } } } } });
  return (res.body as { count: number }).count;
}

/** Open-loop load at fixed shares of the maximum rate through a running pipeline. */
export async function latencyPhases(stack: StackInstance, client: Client, pipeline: Pipeline, namespace: string, alias: string, maxRate: number, shares: readonly number[], durationS: number, seed: number, indexedBefore: number): Promise<LatencyPhase[]> {
  const phases: LatencyPhase[] = [];
  let indexed = indexedBefore;
  for (const share of shares) {
    const rate = Math.max(1, Math.round(maxRate * share));
    const vis = watchVisibility(client, alias);
    const from = Date.now();
    const summary = await runProducer('producer', serviceEnv(stack, namespace), ['--rate', String(rate), '--duration', String(durationS), '--seed', String(seed + phases.length + 1)]);
    const to = Date.now();
    indexed += summary.acked.valid;
    await waitForCount(pipeline.indexer, INDEXED, indexed, INDEXED_OK);
    const deadline = Date.now() + 30_000;
    while ((await countIn(client, alias, from, to)) < summary.acked.valid && Date.now() < deadline) await sleep(100);
    await sleep(200);
    await vis.stop();
    const docs = await fetchTimes(client, alias, from, to);
    const total: number[] = [];
    const p2p: number[] = [];
    const p2i: number[] = [];
    const i2v: number[] = [];
    for (const d of docs) {
      // First poll whose visible maximum reached this document (binary search; maxima only grow).
      let lo = 0;
      let hi = vis.at.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (vis.maxIndexed[mid]! >= d.indexed) hi = mid;
        else lo = mid + 1;
      }
      const visible = lo < vis.at.length ? vis.at[lo]! : Number.NaN;
      total.push(visible - d.created);
      p2p.push(d.ingested - d.created);
      p2i.push(d.indexed - d.ingested);
      i2v.push(visible - d.indexed);
    }
    phases.push({
      share,
      targetRate: rate,
      achievedRate: summary.acked.valid / (summary.elapsedMs / 1000),
      events: docs.length,
      total: percentiles(total),
      hops: { produceToProcessed: percentiles(p2p), processedToIndexed: percentiles(p2i), indexedToVisible: percentiles(i2v) },
    });
  }
  return phases;
}
