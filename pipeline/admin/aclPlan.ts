import { ALERTS_TOPIC, selectAnalytics } from '../chains/analytics';
import { selectTopics } from '../chains/topics';
import { ANALYTICS_DEAD_LETTER_TOPIC } from '../chains/analyticsIndexing';
import { ChainName, type AnalyticsFacet, type TopicsFacet } from '../chains/types';
import { PRODUCER_TRANSACTIONAL_PREFIX } from '../config';

export type AclResource = 'topic' | 'group' | 'transactional-id' | 'cluster';

/** One allow rule set: what kafka-acls --add takes in one call. */
export interface AclGrant {
  readonly principal: string;
  readonly resource: AclResource;
  /** Literal names, or prefixes when `prefixed` (group ids and transactional ids carry a suffix). */
  readonly names: readonly string[];
  readonly prefixed: boolean;
  readonly operations: readonly string[];
}

export interface AclPlanInput {
  readonly chains: readonly TopicsFacet[];
  readonly analytics: readonly AnalyticsFacet[];
  readonly namespace: string;
  readonly healthTopic: string;
  /** The services' consumer group ids before the namespace (their *_GROUP_ID defaults). */
  readonly groups: { readonly processor: string; readonly indexer: string; readonly analytics: string };
}

const READ = ['Read', 'Describe'];
const WRITE = ['Write', 'Describe'];

/**
 * Least privilege per service principal, from the chains' own topic declaration: the producer
 * writes raw topics; the processor reads raw topics (and the processed profiles its login join
 * keeps as a table) and writes processed and dead-letter topics in transactions; the indexer reads what it indexes and writes the dead letters OpenSearch
 * refuses; analytics reads processed and dead letters and writes aggregates and alerts. Every
 * service writes its health samples. Anything not granted here is denied (StandardAuthorizer).
 */
export function aclPlan(p: AclPlanInput): AclGrant[] {
  const ns = p.namespace;
  const raw = uniq(p.chains.flatMap((c) => c.topics.inputs));
  const processed = uniq(p.chains.map((c) => c.topics.output));
  const deadLetters = uniq(p.chains.map((c) => c.topics.deadLetter));
  const aggregates = uniq(p.analytics.map((c) => c.analytics.aggregatesTopic));
  const alerts = ns + ALERTS_TOPIC;
  const analyticsDeadLetters = ns + ANALYTICS_DEAD_LETTER_TOPIC;
  const health = p.healthTopic;
  // The processor's login join reads the processed profiles as a table (consumer-processor/src/profileJoin.ts).
  const tables = p.chains.some((c) => c.name === ChainName.LOGIN) ? p.chains.filter((c) => c.name === ChainName.PROFILES).map((c) => c.topics.output) : [];
  const topic = (principal: string, names: readonly string[], operations: readonly string[]): AclGrant => ({ principal, resource: 'topic', names, prefixed: false, operations });
  const prefixed = (principal: string, resource: AclResource, name: string, operations: readonly string[]): AclGrant => ({ principal, resource, names: [name], prefixed: true, operations });
  // Transactional ids are "<group>-<host>-<pid>" (kafkaClients), so a prefix on the group id.
  const consuming = (principal: string, group: string): AclGrant[] => [
    prefixed(principal, 'group', ns + group, READ),
    prefixed(principal, 'transactional-id', ns + group, WRITE),
  ];
  return [
    topic('User:producer', [...raw, health], WRITE),
    prefixed('User:producer', 'transactional-id', ns + PRODUCER_TRANSACTIONAL_PREFIX, WRITE),
    topic('User:processor', uniq([...raw, ...tables]), READ),
    topic('User:processor', [...processed, ...deadLetters, health], WRITE),
    ...consuming('User:processor', p.groups.processor),
    topic('User:indexer', uniq([...processed, ...deadLetters, ...aggregates, alerts, analyticsDeadLetters, health]), READ),
    topic('User:indexer', uniq([...deadLetters, analyticsDeadLetters, health]), WRITE),
    ...consuming('User:indexer', p.groups.indexer),
    topic('User:analytics', uniq([...processed, ...deadLetters]), READ),
    topic('User:analytics', uniq([...aggregates, alerts, health]), WRITE),
    ...consuming('User:analytics', p.groups.analytics),
    // Idempotent producers (every service's) need it on the cluster since Kafka 3.x, unless a
    // transactional-id Write already implies it; granting it keeps plain producers working.
    ...['User:producer', 'User:processor', 'User:indexer', 'User:analytics'].map((principal): AclGrant => ({ principal, resource: 'cluster', names: ['kafka-cluster'], prefixed: false, operations: ['IdempotentWrite'] })),
  ];
}

/** The services' consumer group ids: the defaults of their *_GROUP_ID settings. */
export const SERVICE_GROUPS = { processor: 'streamdex-processor', indexer: 'streamdex-indexer', analytics: 'streamdex-analytics' } as const;

/** The plan for these settings (what `admin acls` prints and the secured stack applies). */
export function streamdexAclPlan(s: { readonly CHAINS: readonly string[]; readonly STREAMDEX_NAMESPACE: string; readonly HEALTH_TOPIC: string }): AclGrant[] {
  return aclPlan({
    chains: selectTopics(s.CHAINS, s.STREAMDEX_NAMESPACE),
    analytics: selectAnalytics(s.CHAINS, s.STREAMDEX_NAMESPACE),
    namespace: s.STREAMDEX_NAMESPACE,
    healthTopic: `${s.STREAMDEX_NAMESPACE}${s.HEALTH_TOPIC}`,
    groups: SERVICE_GROUPS,
  });
}

/** kafka-acls arguments of one grant, after `--add --force`. */
export function aclArgs(g: AclGrant): string[] {
  const args = ['--allow-principal', g.principal];
  for (const op of g.operations) args.push('--operation', op);
  if (g.resource === 'cluster') return [...args, '--cluster'];
  for (const name of g.names) args.push(`--${g.resource}`, name);
  if (g.prefixed) args.push('--resource-pattern-type', 'prefixed');
  return args;
}

function uniq(xs: readonly string[]): string[] {
  return [...new Set(xs)];
}
