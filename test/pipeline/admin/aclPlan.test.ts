import { aclArgs, type AclGrant } from '../../../pipeline/admin/aclPlan';
import { streamdexAclPlan } from '../../../pipeline/admin/aclPlan';

/** Whether the plan allows `op` on a resource, the way StandardAuthorizer matches literal and prefixed patterns. */
function allows(grants: readonly AclGrant[], principal: string, op: string, resource: AclGrant['resource'], name: string): boolean {
  return grants.some((g) => g.principal === principal && g.resource === resource && g.operations.includes(op) && g.names.some((n) => (g.prefixed ? name.startsWith(n) : n === name)));
}

describe('aclPlan', () => {
  const grants = streamdexAclPlan({ CHAINS: ['all'], STREAMDEX_NAMESPACE: '', HEALTH_TOPIC: 'streamdex-health' });
  const may = (p: string, op: string, topic: string) => allows(grants, `User:${p}`, op, 'topic', topic);

  it('lets the producer write raw topics and read nothing', () => {
    expect(may('producer', 'Write', 'user-login')).toBe(true);
    expect(may('producer', 'Write', 'listen_events')).toBe(true);
    expect(grants.filter((g) => g.principal === 'User:producer' && g.operations.includes('Read'))).toEqual([]);
    expect(may('producer', 'Write', 'processed-user-login')).toBe(false);
  });

  it('lets the processor read raw topics and the profile table, write processed and dead letters, in its own group and transactions', () => {
    expect(may('processor', 'Read', 'user-login')).toBe(true);
    expect(may('processor', 'Read', 'processed-user-profiles')).toBe(true);
    expect(may('processor', 'Write', 'processed-user-login')).toBe(true);
    expect(may('processor', 'Write', 'user-login-dlq')).toBe(true);
    expect(may('processor', 'Write', 'user-login')).toBe(false);
    expect(allows(grants, 'User:processor', 'Read', 'group', 'streamdex-processor')).toBe(true);
    expect(allows(grants, 'User:processor', 'Write', 'transactional-id', 'streamdex-processor-host-42')).toBe(true);
    expect(allows(grants, 'User:processor', 'Read', 'group', 'streamdex-indexer')).toBe(false);
  });

  it('lets the indexer read what it indexes and write only dead letters and health', () => {
    expect(may('indexer', 'Read', 'processed-user-login')).toBe(true);
    expect(may('indexer', 'Read', 'analytics-alerts')).toBe(true);
    expect(may('indexer', 'Write', 'user-login-dlq')).toBe(true);
    expect(may('indexer', 'Read', 'user-login')).toBe(false);
    expect(may('indexer', 'Write', 'user-login')).toBe(false);
    expect(may('indexer', 'Write', 'processed-user-login')).toBe(false);
  });

  it('gives the outsider nothing', () => {
    expect(grants.some((g) => g.principal === 'User:outsider')).toBe(false);
  });

  it('prefixes every name with the namespace', () => {
    const staging = streamdexAclPlan({ CHAINS: ['login'], STREAMDEX_NAMESPACE: 'staging-', HEALTH_TOPIC: 'streamdex-health' });
    expect(allows(staging, 'User:producer', 'Write', 'topic', 'staging-user-login')).toBe(true);
    expect(allows(staging, 'User:producer', 'Write', 'topic', 'user-login')).toBe(false);
    expect(allows(staging, 'User:processor', 'Read', 'group', 'staging-streamdex-processor')).toBe(true);
  });

  it('writes kafka-acls arguments', () => {
    expect(aclArgs({ principal: 'User:p', resource: 'group', names: ['g'], prefixed: true, operations: ['Read', 'Describe'] })).toEqual([
      '--allow-principal', 'User:p', '--operation', 'Read', '--operation', 'Describe', '--group', 'g', '--resource-pattern-type', 'prefixed',
    ]);
    expect(aclArgs({ principal: 'User:p', resource: 'cluster', names: ['kafka-cluster'], prefixed: false, operations: ['IdempotentWrite'] })).toEqual(['--allow-principal', 'User:p', '--operation', 'IdempotentWrite', '--cluster']);
  });
});
