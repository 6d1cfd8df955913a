import { loadServiceList, nodeFlags, nodeRuntimeOf, serviceListSchema } from '../../harness/serviceList';
import { ServiceScript } from '../../harness/serviceScript';

describe('node flags of services.json', () => {
  it('lets a service flag replace the runtime flag of the same name and adds the others', () => {
    expect(nodeFlags(['--max-old-space-size=128', '--max-semi-space-size=4'], ['--max-old-space-size=256', '--stack-size=900'])).toEqual([
      '--max-semi-space-size=4',
      '--max-old-space-size=256',
      '--stack-size=900',
    ]);
    expect(nodeFlags(['--max-old-space-size=128'])).toEqual(['--max-old-space-size=128']);
  });

  it('gives the harness, for every script it starts, the flags and environment services.json gives that service', () => {
    const list = loadServiceList();
    for (const script of Object.values(ServiceScript)) {
      const entry = list.services.find((s) => s.script === script);
      expect(nodeRuntimeOf(script)).toEqual({ args: nodeFlags(list.node.args, entry?.node), env: list.node.env });
    }
    expect(nodeRuntimeOf(ServiceScript.analytics).args).toContain('--max-old-space-size=256');
    expect(nodeRuntimeOf(ServiceScript.processor).args).toContain('--max-old-space-size=128');
  });

  it('refuses different node flags for two entries of one script', () => {
    const list = loadServiceList();
    const producers = list.services.filter((s) => s.script === ServiceScript.producer);
    const broken = { ...list, services: list.services.map((s) => (s === producers[1] ? { ...s, node: ['--max-old-space-size=64'] } : s)) };
    expect(serviceListSchema.safeParse(broken).error?.issues.map((i) => i.message)).toEqual([`${producers[1]!.name}: node flags differ from ${producers[0]!.name}'s, which runs the same script`]);
  });
});
