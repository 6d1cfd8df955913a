import { guaranteeSettings, loadConfig } from '../../../pipeline/config';
import { ConfigError } from '../../../pipeline/errors';
import { consumerConfig, producerConfig } from '../../../pipeline/kafka';
import { kafkaClients } from '../../../pipeline/service';
import { z } from 'zod';

/** What PROCESSING_GUARANTEE turns into in the clients' configuration (no broker). */
describe('processing guarantee configuration', () => {
  const base = { KAFKA_BROKERS: ['127.0.0.1:1'], KAFKA_CLIENT_ID: 'streamdex', STREAMDEX_NAMESPACE: 'ns-', KAFKA_SECURITY_PROTOCOL: 'PLAINTEXT' as const, KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512' as const };
  const options = { role: 'processor', groupId: 'streamdex-processor', topics: ['t'], batchSize: 10, maxInFlight: 100 };

  it('is at_least_once by default and refuses other names, naming the setting', () => {
    const schema = z.object(guaranteeSettings);
    expect(loadConfig(schema, {}).PROCESSING_GUARANTEE).toBe('at_least_once');
    expect(loadConfig(schema, { PROCESSING_GUARANTEE: 'exactly_once' }).PROCESSING_GUARANTEE).toBe('exactly_once');
    expect(() => loadConfig(schema, { PROCESSING_GUARANTEE: 'exactly_once_v2' })).toThrow(ConfigError);
    expect(() => loadConfig(schema, { PROCESSING_GUARANTEE: 'exactly_once_v2' })).toThrow(/PROCESSING_GUARANTEE/);
    expect(() => loadConfig(schema, { TRANSACTIONAL_ID: 'has space' })).toThrow(/TRANSACTIONAL_ID/);
  });

  it('every consumer reads read_committed', () => {
    expect(consumerConfig({ brokers: ['b'], groupId: 'g', topics: ['t'] })['isolation.level']).toBe('read_committed');
  });

  it('a transactional id makes the producer transactional, with the short transaction timeout', () => {
    expect(producerConfig({ brokers: ['b'] })['transactional.id']).toBeUndefined();
    const c = producerConfig({ brokers: ['b'], transactionalId: 'x-1' });
    expect(c['transactional.id']).toBe('x-1');
    expect(c['transaction.timeout.ms']).toBe(10_000);
    expect(c['enable.idempotence']).toBe(true);
  });

  it('under exactly_once the handler sends through the transaction, with one id per instance', () => {
    const alo = kafkaClients(base, options);
    expect(alo.transactionalId).toBeUndefined();
    expect(alo.sender).toBe(alo.producer);
    const eos = kafkaClients({ ...base, PROCESSING_GUARANTEE: 'exactly_once' }, options);
    expect(eos.transactionalId).toMatch(new RegExp(`^ns-streamdex-processor-.+-${process.pid}$`));
    expect(eos.sender).not.toBe(eos.producer);
    expect(eos.sender).toBe(eos.consumer.sender);
    expect(kafkaClients({ ...base, PROCESSING_GUARANTEE: 'exactly_once', TRANSACTIONAL_ID: 'proc-a' }, options).transactionalId).toBe('proc-a');
  });
});
