import { readFileSync } from 'node:fs';
import path from 'node:path';
import { aclTable, STACK_ACLS, withAclTable } from '../../scripts/aclTable';

const readmePath = path.join(__dirname, '..', '..', 'README.md');

describe("README.md's ACL table", () => {
  it('is the one the ACL plan gives (npm run docs:config rewrites it)', () => {
    const readme = readFileSync(readmePath, 'utf8');
    expect(readme).toBe(withAclTable(readme, aclTable(STACK_ACLS)));
  });

  it('has a row per service principal', () => {
    const readme = readFileSync(readmePath, 'utf8');
    for (const p of ['producer', 'processor', 'indexer', 'analytics']) expect(readme).toMatch(new RegExp(`^\\| \`User:${p}\` \\| `, 'm'));
  });
});

describe('aclTable', () => {
  it('merges a principal’s grants into one row: topics by operation, prefixes, cluster rights', () => {
    const table = aclTable([
      { principal: 'User:p', resource: 'topic', names: ['raw'], prefixed: false, operations: ['Read', 'Describe'] },
      { principal: 'User:p', resource: 'topic', names: ['out', 'dlq'], prefixed: false, operations: ['Write', 'Describe'] },
      { principal: 'User:p', resource: 'group', names: ['g'], prefixed: true, operations: ['Read'] },
      { principal: 'User:p', resource: 'transactional-id', names: ['g'], prefixed: true, operations: ['Write'] },
      { principal: 'User:q', resource: 'cluster', names: ['kafka-cluster'], prefixed: false, operations: ['IdempotentWrite'] },
    ]);
    expect(table.split('\n').slice(2)).toEqual(['| `User:p` | `raw` | `out`, `dlq` | `g*` | — |', '| `User:q` | — | — | — | IdempotentWrite |', '']);
  });

  it('refuses a README without its markers', () => {
    expect(() => withAclTable('# no table', '')).toThrow(/lacks the markers/);
  });
});
