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
import { DASHBOARDS } from '../dashboards/chains';
import { withIndexPatternFields } from '../dashboards/withIndexPatternFields';
import { INDEXING } from '../pipeline/chains/indexing';
import { REPO_ROOT } from '../harness/repoRoot';

function main(): void {
  for (const dashboard of DASHBOARDS) {
    const index = INDEXING.find((c) => c.name === dashboard.name)?.index;
    if (!index) throw new Error(`no index facet for chain ${dashboard.name}`);
    const file = path.join(REPO_ROOT, 'dashboards', dashboard.file);
    const before = readFileSync(file, 'utf8');
    const after = withIndexPatternFields(before, (index.template.template as { mappings: unknown }).mappings);
    if (after !== before) writeFileSync(file, after);
    console.log(`${path.relative(REPO_ROOT, file)}: ${after === before ? 'current' : 'rewritten'}`);
  }
}

main();
