import { settings } from '../../../pipeline/admin/main';
import { chainTopics, replicated } from '../../../pipeline/admin/topics';
import { loadConfig } from '../../../pipeline/config';
import { TOPICS } from '../../../pipeline/chains/topics';

describe('topic replication', () => {
  it('gives every topic the replication factor and min.insync.replicas, keeping its own config', () => {
    const topics = replicated(chainTopics(TOPICS, 3), { factor: 3, minInsync: 2 });
    expect(topics.length).toBeGreaterThan(0);
    for (const t of topics) {
      expect(t.replicationFactor).toBe(3);
      expect(t.config?.['min.insync.replicas']).toBe('2');
    }
    const dlq = topics.find((t) => t.name.endsWith('-dlq'))!;
    expect(dlq.config?.['retention.ms']).toBe(String(30 * 24 * 3600_000));
  });

  it('reads the factor and min ISR from the environment, one broker by default', () => {
    expect(loadConfig(settings, {})).toMatchObject({ TOPIC_REPLICATION_FACTOR: 1, TOPIC_MIN_INSYNC_REPLICAS: 1 });
    expect(loadConfig(settings, { TOPIC_REPLICATION_FACTOR: '3', TOPIC_MIN_INSYNC_REPLICAS: '2' })).toMatchObject({ TOPIC_REPLICATION_FACTOR: 3, TOPIC_MIN_INSYNC_REPLICAS: 2 });
  });

  it('stops at start, naming the setting, when min ISR exceeds the factor or is not a number', () => {
    expect(() => loadConfig(settings, { TOPIC_REPLICATION_FACTOR: '1', TOPIC_MIN_INSYNC_REPLICAS: '2' })).toThrow(/TOPIC_MIN_INSYNC_REPLICAS.*must not exceed TOPIC_REPLICATION_FACTOR/);
    expect(() => loadConfig(settings, { TOPIC_REPLICATION_FACTOR: 'three' })).toThrow(/TOPIC_REPLICATION_FACTOR/);
  });
});
