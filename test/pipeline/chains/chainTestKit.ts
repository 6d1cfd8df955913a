import type { IndexFacet, ProcessingContext, ProcessingFacet } from '../../../pipeline/chains/types';
import { IpMode } from '../../../pipeline/enrich';
import type { GeneratedRecord } from '../../../producer/src/chains';
import { processRecord, type Outcome } from '../../../pipeline/core';

/** Shared by the chain unit tests: run one record through the processor's pure core. */
export const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

export const ctx: ProcessingContext = {
  nowMs: NOW,
  ipMode: IpMode.MASK,
  ipHashSecret: undefined,
  currentAppVersion: '2.3.0',
  maxEventAgeMs: 3650 * 86_400_000,
  maxFutureSkewMs: 3600_000,
};

export const options = { maxRecordBytes: 64 * 1024, filters: [] };

let offset = 0;

export function run(chain: ProcessingFacet, topic: string, value: Buffer | string | object | null, at = offset++): Outcome<Record<string, any>> {
  const bytes = value === null ? null : Buffer.isBuffer(value) ? value : Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
  return processRecord(chain, { topic, partition: 0, offset: at, key: null, value: bytes, headers: [], timestamp: NOW }, ctx, options) as Outcome<Record<string, any>>;
}

export function runGenerated(chain: ProcessingFacet, r: GeneratedRecord): Outcome<Record<string, any>> {
  return run(chain, r.topic, r.value);
}

export function ok(o: Outcome<Record<string, any>>): Record<string, any> {
  if (o.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(o)}`);
  return o.document;
}

export function take<T>(it: Iterator<T>, n: number): T[] {
  const out: T[] = [];
  for (let i = 0; i < n; i++) {
    const r = it.next();
    if (r.done) break;
    out.push(r.value);
  }
  return out;
}

/** A deterministic picker for corrupt(): cycles through indices. */
export function picker(): (n: number) => number {
  let i = 0;
  return (n) => i++ % n;
}

/** Paths of a document the chain's strict template does not map (OpenSearch would reject them). */
export function unmappedFields(doc: Record<string, unknown>, chain: IndexFacet): string[] {
  const props = (chain.index.template as { template: { mappings: { properties: Record<string, any> } } }).template.mappings.properties;
  const out: string[] = [];
  const walk = (o: Record<string, unknown>, p: Record<string, any>, prefix: string) => {
    for (const [k, v] of Object.entries(o)) {
      const m = p[k];
      if (!m) out.push(prefix + k);
      else if (m.properties && v && typeof v === 'object') walk(v as Record<string, unknown>, m.properties, `${prefix}${k}.`);
    }
  };
  walk(doc, props, '');
  return out;
}
