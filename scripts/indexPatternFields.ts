/**
 * Writes each dashboard's index pattern with its field list, generated from the index
 * template of what it shows (a chain's index, its window aggregates, the alerts or the
 * pipeline's health; and of the dead-letter patterns beside them), so a
 * first load in Dashboards has nothing to refresh and save:
 *
 *   npm run dashboards:fields
 *
 * test/dashboards/indexPatternFields.test.ts fails when a file is not current.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DASHBOARD_FILES, mappingsOf, otherPatternMappings } from '../dashboards/chains';
import { withIndexPatternFields } from '../dashboards/withIndexPatternFields';
import { REPO_ROOT } from '../harness/repoRoot';

function main(): void {
  for (const dashboard of DASHBOARD_FILES) {
    const file = path.join(REPO_ROOT, 'dashboards', dashboard.file);
    const before = readFileSync(file, 'utf8');
    const after = withIndexPatternFields(before, mappingsOf(dashboard.index), otherPatternMappings());
    if (after !== before) writeFileSync(file, after);
    console.log(`${path.relative(REPO_ROOT, file)}: ${after === before ? 'current' : 'rewritten'}`);
  }
}

main();
