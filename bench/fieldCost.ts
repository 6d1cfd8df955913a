import type { Client } from '@opensearch-project/opensearch';
import { selectIndexing } from '../pipeline/chains/indexing';
import type { IndexFacet, ProcessingFacet } from '../pipeline/chains/types';
import type { SourceRecord } from '../pipeline/core';
import { rawBulk, type BulkCeiling } from './ceilings';

/**
 * Groups of the login template's fields, each measured as if it were display-only: kept in
 * `_source` (so documents and tables show it) but neither indexed nor given doc values (so
 * no search, sort or aggregation on it). What OpenSearch saves then is what the group costs.
 */
export const FIELD_GROUPS: Readonly<Record<string, readonly string[]>> = {
  'user_agent.*': ['user_agent.original', 'user_agent.browser', 'user_agent.browser_version', 'user_agent.os', 'user_agent.os_version', 'user_agent.device_type', 'user_agent.device_type_source', 'user_agent.agent_class', 'user_agent.device_vendor', 'user_agent.device_model'],
  'user_agent.original': ['user_agent.original'],
  'geo (but location)': ['geo.country', 'geo.region', 'geo.city', 'geo.timezone'],
  'time facets': ['hour_of_day', 'weekday', 'weekday_name', 'is_weekend'],
  'source.*': ['source.topic', 'source.partition', 'source.offset', 'source.timestamp'],
  'copies: event_id (= _id), timestamp (= event_time)': ['event_id', 'timestamp'],
  'ids: user_id, device_id': ['user_id', 'device_id'],
  'app.*, app_version': ['app.major', 'app.minor', 'app.patch', 'app.outdated', 'app_version'],
  'quality.*': ['quality.defects', 'quality.normalized', 'quality.dialect'],
  'ip, ip_class, locale': ['ip', 'ip_class', 'locale'],
};

export interface FieldGroupCost {
  readonly group: string;
  readonly fields: readonly string[];
  readonly bulk: BulkCeiling;
  /** Store size after a flush and force-merge to one segment, bytes per document. */
  readonly storeBytesPerDoc: number;
}

export interface FieldCosts {
  /** The template as it is, measured before every group and after the last (the drift shows between them). */
  readonly baseline: readonly FieldGroupCost[];
  readonly groups: readonly FieldGroupCost[];
}

type Mapping = { properties?: Record<string, Mapping>; [k: string]: unknown };

/** A copy of the facet's template with the given dotted fields display-only. */
function displayOnly(chain: IndexFacet, fields: readonly string[]): IndexFacet {
  const template = JSON.parse(JSON.stringify(chain.index.template)) as { template: { mappings: Mapping } };
  for (const f of fields) {
    let m: Mapping = template.template.mappings;
    for (const part of f.split('.')) m = m.properties![part]!;
    m.index = false;
    m.doc_values = false;
  }
  return { ...chain, index: { ...chain.index, template } };
}

async function storeBytesPerDoc(client: Client, alias: string, docs: number): Promise<number> {
  await client.indices.refresh({ index: alias });
  await client.indices.forcemerge({ index: alias, max_num_segments: 1 });
  // Refreshed again so the merged-away segments are let go: read right after the merge, the
  // size was ~640 B per document in some runs and ~310 in others, whatever the group.
  await client.indices.refresh({ index: alias });
  const s = await client.indices.stats({ index: alias, metric: 'store' });
  return ((s.body as { _all: { primaries: { store: { size_in_bytes: number } } } })._all.primaries.store.size_in_bytes) / docs;
}

/**
 * The raw `_bulk` ceiling (same documents, batch size, concurrency) once per field group made
 * display-only, with the unchanged template measured before every group and after the last,
 * so a group is held against its two neighbouring baselines and the JVM's drift cancels;
 * each into a fresh index that is deleted after its figures are read. OpenSearch is warmed
 * once, by the first baseline (its untimed pass of every document).
 */
export async function fieldCosts(client: Client, base: ProcessingFacet, id: string, records: readonly SourceRecord[], batchDocs: number, concurrency: number, refreshInterval: string | undefined, openSearchPid: number | undefined, log: (msg: string) => void): Promise<FieldCosts> {
  let n = 0;
  const measure = async (group: string, fields: readonly string[], warm: boolean): Promise<FieldGroupCost> => {
    const chain = displayOnly(selectIndexing(['login'], `${id}f${n}-`)[0]!, fields);
    const warmChain = warm ? selectIndexing(['login'], `${id}fw${n}-`)[0]! : undefined;
    n++;
    const bulk = await rawBulk(client, base, chain, warmChain, records, batchDocs, concurrency, refreshInterval, openSearchPid);
    const store = await storeBytesPerDoc(client, chain.index.alias, records.length);
    await client.indices.delete({ index: chain.index.initialIndex }).catch(() => undefined);
    log(`  ${group}: ${bulk.docsPerSec.toFixed(0)} docs/s, OpenSearch ${((bulk.openSearchCpuSecondsPerDoc ?? Number.NaN) * 1e6).toFixed(1)} CPU µs/doc, ${store.toFixed(0)} B/doc stored`);
    return { group, fields, bulk, storeBytesPerDoc: store };
  };
  const baseline: FieldGroupCost[] = [await measure('template as is', [], true)];
  const groups: FieldGroupCost[] = [];
  for (const [group, fields] of Object.entries(FIELD_GROUPS)) {
    groups.push(await measure(group, fields, false));
    baseline.push(await measure('template as is', [], false));
  }
  return { baseline, groups };
}
