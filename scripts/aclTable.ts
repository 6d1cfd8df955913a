/**
 * README.md's table of who may do what on the secured Kafka, written from the ACL plan the
 * stack applies (pipeline/admin/aclPlan.ts):
 *
 *   npm run docs:config     rewrites it between the acl-table markers (with the config table)
 *
 * test/scripts/aclTable.test.ts fails when README.md is not current.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { streamdexAclPlan, type AclGrant } from '../pipeline/admin/aclPlan';
import { withSection } from './readmeSection';

const code = (names: readonly string[]) => (names.length === 0 ? '—' : names.map((n) => `\`${n}\``).join(', '));

/** One row per principal: the topics it reads and writes, its group and transactional-id prefixes, cluster rights. */
export function aclTable(grants: readonly AclGrant[]): string {
  const principals = [...new Set(grants.map((g) => g.principal))];
  const lines = ['| principal | reads (Read, Describe) | writes (Write, Describe) | consumer group, transactional ids (prefix) | cluster |', '|---|---|---|---|---|'];
  for (const p of principals) {
    const mine = grants.filter((g) => g.principal === p);
    const topics = (op: string) => [...new Set(mine.filter((g) => g.resource === 'topic' && g.operations.includes(op)).flatMap((g) => g.names))];
    const prefixes = [...new Set(mine.filter((g) => g.resource === 'group' || g.resource === 'transactional-id').flatMap((g) => g.names.map((n) => `${n}*`)))];
    const cluster = [...new Set(mine.filter((g) => g.resource === 'cluster').flatMap((g) => g.operations))];
    lines.push(`| \`${p}\` | ${code(topics('Read'))} | ${code(topics('Write'))} | ${code(prefixes)} | ${cluster.join(', ') || '—'} |`);
  }
  return `${lines.join('\n')}\n`;
}

const START = '<!-- acl-table: written by `npm run docs:config` from pipeline/admin/aclPlan.ts -->\n';
const END = '<!-- /acl-table -->';

/** The README with its table replaced; throws when the markers are missing. */
export function withAclTable(readme: string, table: string): string {
  return withSection(readme, START, END, table);
}

/** What the local secured stack applies: every chain, no namespace. */
export const STACK_ACLS = streamdexAclPlan({ CHAINS: ['all'], STREAMDEX_NAMESPACE: '', HEALTH_TOPIC: 'streamdex-health' });

if (require.main === module) {
  const readmePath = path.resolve('README.md');
  const readme = readFileSync(readmePath, 'utf8');
  const updated = withAclTable(readme, aclTable(STACK_ACLS));
  if (updated !== readme) writeFileSync(readmePath, updated);
  process.stdout.write(`README.md: ACL table ${updated === readme ? 'already current' : 'rewritten'}\n`);
}
