import { sleep } from '../pipeline/retry';
import { ProcessSampler } from './processSampler';
import type { StackInstance } from '../harness';
import { readCounter, startService, stopService, waitForCount, waitHealthy } from './services';
import { INDEXED, INDEXED_OK, serviceEnv } from './stages';

export interface OutageResult {
  readonly outageSeconds: number;
  /** Documents waiting in the topic when OpenSearch went down. */
  readonly input: number;
  readonly indexedBeforeOutage: number;
  /** Indexer RSS: before the outage, peak during it, bytes. */
  readonly rssBeforeBytes: number;
  readonly rssPeakDuringBytes: number;
  /** From OpenSearch answering again until every document was indexed, seconds (NaN: did not finish). */
  readonly recoverySeconds: number;
  /** The indexer's own view at the end of the outage (its /metrics), bytes: where the RSS goes. */
  readonly breakdown: Record<string, number>;
}

const BREAKDOWN = ['nodejs_heap_size_total_bytes', 'nodejs_heap_size_used_bytes', 'nodejs_external_memory_bytes', 'streamdex_indexer_pending_documents'] as const;

/**
 * The indexer under full input (a pre-filled processed topic, read by a new group) while
 * OpenSearch is down for `outageS`: its RSS must stay bounded (pause at maxInFlight).
 */
export async function indexerOutage(stack: StackInstance, namespace: string, input: number, outageS: number): Promise<OutageResult> {
  const svc = startService('indexer-outage', 'indexer', serviceEnv(stack, namespace, { INDEXER_GROUP_ID: `streamdex-indexer-outage-${Date.now()}` }));
  try {
    await waitHealthy(svc);
    // Let it run at full speed for a moment, so buffers and JIT are at their working size.
    await sleep(1000);
    const before = new ProcessSampler(100);
    before.track('indexer', svc.pid);
    before.start();
    await sleep(500);
    const rssBefore = before.stop().processes.indexer!.windowPeakRssBytes;
    const indexedBeforeOutage = (await readCounter(svc, INDEXED, INDEXED_OK)) ?? 0;
    await stack.down('opensearch');
    const during = new ProcessSampler(100);
    during.track('indexer', svc.pid);
    during.start();
    await sleep(outageS * 1000);
    const usage = during.stop();
    const breakdown: Record<string, number> = {};
    for (const m of BREAKDOWN) breakdown[m] = (await readCounter(svc, m)) ?? Number.NaN;
    await stack.up('opensearch');
    const back = performance.now();
    let recoverySeconds = Number.NaN;
    try {
      const p = await waitForCount(svc, INDEXED, input, INDEXED_OK, 180_000, 200);
      recoverySeconds = (p.doneAt - back) / 1000;
    } catch {
      /* reported as NaN: the bound is what this test is about */
    }
    return { outageSeconds: outageS, input, indexedBeforeOutage, rssBeforeBytes: rssBefore, rssPeakDuringBytes: usage.processes.indexer!.windowPeakRssBytes, recoverySeconds, breakdown };
  } finally {
    await stopService(svc);
  }
}
