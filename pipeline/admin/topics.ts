import { ALERTS_TOPIC } from '../chains/analytics';
import { ANALYTICS_DEAD_LETTER_TOPIC } from '../chains/analyticsIndexing';
import type { AnalyticsFacet, TopicsFacet } from '../chains/types';
import { HEALTH_DEFAULTS } from '../health';
import type { TopicSpec } from '../kafka';

/** Every topic the chains need. One place decides partitions, for compose and the local stack alike. */
export function chainTopics(chains: readonly TopicsFacet[], partitions: number): TopicSpec[] {
  const names = new Set<string>();
  const declared = new Map<string, Readonly<Record<string, string>>>();
  for (const c of chains) {
    for (const t of c.topics.inputs) names.add(t);
    names.add(c.topics.output);
    names.add(c.topics.deadLetter);
    if (c.topics.outputConfig) declared.set(c.topics.output, c.topics.outputConfig);
  }
  return [...names].map((name): TopicSpec => {
    // Dead letters are kept for a month: long enough to notice, fix and replay.
    const config: Record<string, string> = name.endsWith('-dlq') ? { 'retention.ms': String(30 * 24 * 3600_000) } : { ...declared.get(name) };
    return { name, partitions, config };
  });
}

/** The topic every service's health samples go to; kept a day, the health index is the history. */
export function healthTopic(namespace: string, name: string, partitions: number): TopicSpec {
  return { name: `${namespace}${name}`, partitions, config: { 'retention.ms': String(HEALTH_DEFAULTS.topicRetentionHours * 3600_000) } };
}

/**
 * The analytics stage's outputs: per chain its aggregates, one alerts topic, and the dead
 * letters of what OpenSearch refused of them. Partitioned like the chains' topics.
 */
export function analyticsTopics(chains: readonly AnalyticsFacet[], namespace: string, partitions: number): TopicSpec[] {
  const names = [...chains.map((c) => c.analytics.aggregatesTopic), namespace + ALERTS_TOPIC, namespace + ANALYTICS_DEAD_LETTER_TOPIC];
  return names.map((name) => ({ name, partitions, config: {} }));
}

export interface Replication {
  /** Copies of every partition. */
  readonly factor: number;
  /** Copies that must have a write before the broker acknowledges it to an acks=all producer. */
  readonly minInsync: number;
}

/**
 * The same topics, replicated. `min.insync.replicas` is set on each topic rather than left
 * to the broker's default, so a topic keeps its guarantee on any cluster it is created on;
 * a topic's own declaration of it (none today) would win.
 */
export function replicated(topics: readonly TopicSpec[], r: Replication): TopicSpec[] {
  return topics.map((t) => ({ ...t, replicationFactor: r.factor, config: { 'min.insync.replicas': String(r.minInsync), ...t.config } }));
}
