/**
 * Writes each dashboard's index pattern with its field list, generated from the chain's
 * index template, so a first load in Dashboards has nothing to refresh and save:
 *
 *   npm run dashboards:fields
 *
 * test/dashboards/indexPatternFields.test.ts fails when a file is not current.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DASHBOARDS, PIPELINE_DASHBOARDS } from '../dashboards/chains';
import { withIndexPatternFields } from '../dashboards/withIndexPatternFields';
import { deadLetterIndex } from '../pipeline/chains/deadLetterIndex';
import { INDEXING } from '../pipeline/chains/indexing';
import { healthIndex } from '../pipeline/health';
import { REPO_ROOT } from '../harness/repoRoot';

const mappingsOf = (template: Readonly<Record<string, unknown>>): unknown => (template.template as { mappings: unknown }).mappings;

/** The index patterns of other indices a dashboard file may hold, by title. */
export function otherPatternMappings(): Record<string, unknown> {
  const health = healthIndex();
  return {
    [deadLetterIndex.alias]: mappingsOf(deadLetterIndex.template),
    [`${health.prefix}-*`]: mappingsOf(health.template),
    // Latency over every chain: the fields all chain templates map alike (latency_ms, indexed_at).
    [INDEXING.map((c) => c.index.alias).join(',')]: mappingsOf(INDEXING[0]!.index.template),
  };
}

function main(): void {
  const files = [
    ...DASHBOARDS.map((dashboard) => {
      const index = INDEXING.find((c) => c.name === dashboard.name)?.index;
      if (!index) throw new Error(`no index facet for chain ${dashboard.name}`);
      return { file: dashboard.file, mappings: mappingsOf(index.template) };
    }),
    ...PIPELINE_DASHBOARDS.map((d) => ({ file: d.file, mappings: mappingsOf(healthIndex().template) })),
  ];
  for (const { file: name, mappings } of files) {
    const file = path.join(REPO_ROOT, 'dashboards', name);
    const before = readFileSync(file, 'utf8');
    const after = withIndexPatternFields(before, mappings, otherPatternMappings());
    if (after !== before) writeFileSync(file, after);
    console.log(`${path.relative(REPO_ROOT, file)}: ${after === before ? 'current' : 'rewritten'}`);
  }
}

if (require.main === module) main();
