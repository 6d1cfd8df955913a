import type { SavedObject } from '../../../dashboards/types';
import { isRecord, parseJson } from './json';
import { objectLabel } from './objectLabel';
import { parseVisState } from './parseVisState';

/** Fields that describe a person's device or browser; bots and tools have none worth counting with them. */
export const DEVICE_FIELDS = new Set(['device_type', 'user_agent.browser', 'user_agent.browser_version', 'user_agent.os', 'user_agent.os_version', 'user_agent.device_type', 'user_agent.device_vendor', 'user_agent.device_model']);
const AGENT_CLASS = 'user_agent.agent_class';

/**
 * Every panel that counts devices or browsers keeps bots and tools apart from people: its
 * query or a filter names `user_agent.agent_class`, or one of its aggregations splits by it.
 * Returns the problems; empty when every such panel does.
 */
export function checkAgentClasses(objects: readonly SavedObject[]): string[] {
  const problems: string[] = [];
  for (const o of objects) {
    if (o.type !== 'visualization') continue;
    const vis = parseVisState(o);
    const fields = vis.aggs.filter((a) => a.enabled !== false).map((a) => a.params?.field);
    const device = fields.filter((f): f is string => typeof f === 'string' && DEVICE_FIELDS.has(f));
    if (device.length === 0 || fields.includes(AGENT_CLASS)) continue;
    const meta = o.attributes.kibanaSavedObjectMeta;
    const source = parseJson(isRecord(meta) ? meta.searchSourceJSON : undefined);
    const query = isRecord(source) ? JSON.stringify([source.query, source.filter]) : '';
    if (!query.includes(AGENT_CLASS)) {
      problems.push(`${objectLabel(o)}: counts ${device.join(', ')} with bots and tools among people; filter on or split by ${AGENT_CLASS}`);
    }
  }
  return problems;
}
