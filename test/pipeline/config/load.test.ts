import { z } from 'zod';
import { envBool, envInt, envList, loadConfig, type Env } from '../../../pipeline/config';
import { ConfigError } from '../../../pipeline/errors';
import { processorSettings } from '../../../consumer-processor/src/options';
import { indexerSettings } from '../../../consumer-indexer/src/options';
import { parseProducerArgs } from '../../../producer/src/options';

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError, nothing was thrown');
}

const processor = (env: Env) => loadConfig(processorSettings, env);
const indexer = (env: Env) => loadConfig(indexerSettings, env);

describe('loadConfig', () => {
  describe('with the processor settings', () => {
    it('uses documented defaults when nothing is set', () => {
      const c = processor({});
      expect(c).toMatchObject({
        KAFKA_BROKERS: ['127.0.0.1:9092'],
        KAFKA_CLIENT_ID: 'streamdex',
        LOG_LEVEL: 'info',
        METRICS_PORT: 9464,
        CHAINS: ['all'],
        STREAMDEX_NAMESPACE: '',
        PROCESSOR_GROUP_ID: 'streamdex-processor',
        IP_MODE: 'mask',
        CURRENT_APP_VERSION: '2.3.0',
        MAX_RECORD_BYTES: 65536,
        MAX_EVENT_AGE_DAYS: 3650,
        MAX_FUTURE_SKEW_SECONDS: 3600,
        FILTER_RULES: [],
        PROCESSOR_BATCH_SIZE: 1000,
        PROCESSOR_MAX_IN_FLIGHT: 5000,
        PROCESSOR_LINGER_MS: 5,
      });
      expect(c.IP_HASH_SECRET).toBeUndefined();
    });

    it('treats an empty string as unset, so the default applies', () => {
      const c = processor({ IP_MODE: '', KAFKA_BROKERS: '', MAX_RECORD_BYTES: '', FILTER_RULES: '', IP_HASH_SECRET: '' });
      expect(c.IP_MODE).toBe('mask');
      expect(c.KAFKA_BROKERS).toEqual(['127.0.0.1:9092']);
      expect(c.MAX_RECORD_BYTES).toBe(65536);
      expect(c.FILTER_RULES).toEqual([]);
      expect(c.IP_HASH_SECRET).toBeUndefined();
    });

    it('reads given values, splitting and trimming lists and coercing numbers', () => {
      const c = processor({ KAFKA_BROKERS: ' a:9092 , b:9092 ,', MAX_RECORD_BYTES: '1024', IP_MODE: 'keep', CHAINS: 'login' });
      expect(c.KAFKA_BROKERS).toEqual(['a:9092', 'b:9092']);
      expect(c.MAX_RECORD_BYTES).toBe(1024);
      expect(c.IP_MODE).toBe('keep');
      expect(c.CHAINS).toEqual(['login']);
    });

    it('ignores variables that are not settings', () => {
      expect(() => processor({ PATH: '/usr/bin', SOMETHING_ELSE: 'x' })).not.toThrow();
    });

    it('names IP_MODE when it has an unknown value, and quotes what was given', () => {
      const err = configError(() => processor({ IP_MODE: 'foo' }));
      expect(err.setting).toBe('IP_MODE');
      expect(err.message).toMatch(/^IP_MODE: /);
      expect(err.message).toContain('"foo"');
      expect(err.code).toBe('STREAMDEX_CONFIG');
      expect(err.retryable).toBe(false);
    });

    it('names IP_HASH_SECRET when IP_MODE=hash comes without one', () => {
      const err = configError(() => processor({ IP_MODE: 'hash' }));
      expect(err.setting).toBe('IP_HASH_SECRET');
      expect(err.message).toContain('IP_MODE=hash');
    });

    it('names IP_HASH_SECRET when the secret is too short', () => {
      expect(configError(() => processor({ IP_MODE: 'hash', IP_HASH_SECRET: 'short' })).setting).toBe('IP_HASH_SECRET');
    });

    it('accepts hash mode with a long enough secret', () => {
      expect(processor({ IP_MODE: 'hash', IP_HASH_SECRET: 'x'.repeat(16) }).IP_MODE).toBe('hash');
    });

    it('names FILTER_RULES when it is not JSON', () => {
      const err = configError(() => processor({ FILTER_RULES: '[{oops' }));
      expect(err.setting).toBe('FILTER_RULES');
      expect(err.message).toContain('JSON');
    });

    it('names FILTER_RULES when a rule is invalid', () => {
      expect(configError(() => processor({ FILTER_RULES: '[{"field":"x","equals":1,"action":"route"}]' })).setting).toMatch(/^FILTER_RULES/);
      expect(configError(() => processor({ FILTER_RULES: '[{"field":"x","action":"drop"}]' })).setting).toMatch(/^FILTER_RULES/);
      expect(configError(() => processor({ FILTER_RULES: '{"field":"x"}' })).setting).toMatch(/^FILTER_RULES/);
    });

    it('parses valid FILTER_RULES', () => {
      const rules = [{ chain: 'login', field: 'device_type', in: ['unknown'], action: 'drop' }];
      expect(processor({ FILTER_RULES: JSON.stringify(rules) }).FILTER_RULES).toEqual(rules);
    });

    it('names KAFKA_BROKERS when it lists no broker at all', () => {
      const err = configError(() => processor({ KAFKA_BROKERS: ' , ,' }));
      expect(err.setting).toBe('KAFKA_BROKERS');
      expect(err.message).toContain('broker');
    });

    it('names a number setting that is not a whole number or out of range', () => {
      expect(configError(() => processor({ MAX_RECORD_BYTES: 'lots' })).setting).toBe('MAX_RECORD_BYTES');
      expect(configError(() => processor({ MAX_RECORD_BYTES: '1.5' })).setting).toBe('MAX_RECORD_BYTES');
      expect(configError(() => processor({ MAX_RECORD_BYTES: '10' })).setting).toBe('MAX_RECORD_BYTES');
      expect(configError(() => processor({ METRICS_PORT: '70000' })).setting).toBe('METRICS_PORT');
    });

    it('names CURRENT_APP_VERSION, LOG_LEVEL and STREAMDEX_NAMESPACE when they are malformed', () => {
      expect(configError(() => processor({ CURRENT_APP_VERSION: 'v2' })).setting).toBe('CURRENT_APP_VERSION');
      expect(configError(() => processor({ LOG_LEVEL: 'loud' })).setting).toBe('LOG_LEVEL');
      expect(configError(() => processor({ STREAMDEX_NAMESPACE: 'Staging-' })).setting).toBe('STREAMDEX_NAMESPACE');
    });
  });

  describe('with the indexer settings', () => {
    it('uses documented defaults when nothing is set', () => {
      expect(indexer({})).toMatchObject({
        OPENSEARCH_URL: 'http://127.0.0.1:9200',
        OPENSEARCH_TLS_INSECURE: false,
        INDEXER_GROUP_ID: 'streamdex-indexer',
        BULK_MAX_DOCS: 1000,
        BULK_MAX_BYTES: 5 * 1024 * 1024,
        BULK_FLUSH_MS: 250,
        BULK_CONCURRENCY: 2,
        INDEXER_MAX_IN_FLIGHT: 4000,
        INDEXER_BATCH_SIZE: 1000,
      });
    });

    it('names OPENSEARCH_URL when it is not a URL', () => {
      expect(configError(() => indexer({ OPENSEARCH_URL: 'localhost 9200' })).setting).toBe('OPENSEARCH_URL');
    });

    it('reads booleans in their usual spellings and names a bad one', () => {
      expect(indexer({ OPENSEARCH_TLS_INSECURE: 'yes' }).OPENSEARCH_TLS_INSECURE).toBe(true);
      expect(indexer({ OPENSEARCH_TLS_INSECURE: '1' }).OPENSEARCH_TLS_INSECURE).toBe(true);
      expect(indexer({ OPENSEARCH_TLS_INSECURE: 'false' }).OPENSEARCH_TLS_INSECURE).toBe(false);
      expect(configError(() => indexer({ OPENSEARCH_TLS_INSECURE: 'maybe' })).setting).toBe('OPENSEARCH_TLS_INSECURE');
    });

    it('names BULK_CONCURRENCY when it is zero', () => {
      expect(configError(() => indexer({ BULK_CONCURRENCY: '0' })).setting).toBe('BULK_CONCURRENCY');
    });

    it('leaves INDEX_REFRESH_INTERVAL unset by default, takes OpenSearch time values, and names a bad one', () => {
      expect(indexer({}).INDEX_REFRESH_INTERVAL).toBeUndefined();
      expect(indexer({ INDEX_REFRESH_INTERVAL: '500ms' }).INDEX_REFRESH_INTERVAL).toBe('500ms');
      expect(indexer({ INDEX_REFRESH_INTERVAL: '-1' }).INDEX_REFRESH_INTERVAL).toBe('-1');
      for (const bad of ['fast', '0s', '1.5s', '500']) expect(configError(() => indexer({ INDEX_REFRESH_INTERVAL: bad })).setting).toBe('INDEX_REFRESH_INTERVAL');
    });
  });

  describe('field helpers', () => {
    const schema = z.object({ N: envInt(5, 1, 10), B: envBool(true), L: envList(['x']) });

    it('apply their defaults', () => {
      expect(loadConfig(schema, {})).toEqual({ N: 5, B: true, L: ['x'] });
    });

    it('name the setting of a refusal that has no path of its own as "configuration"', () => {
      const whole = z.object({ A: z.string().optional() }).refine(() => false, 'nothing is ever right');
      expect(configError(() => loadConfig(whole, {})).setting).toBe('configuration');
    });
  });
});

describe('parseProducerArgs', () => {
  it('uses defaults when given no flags', () => {
    expect(parseProducerArgs([])).toMatchObject({ chain: 'login', rate: 100, pace: 'rate', speed: 1, seed: 1, 'malformed-ratio': 0, 'progress-seconds': 5 });
  });

  it('reads flags and coerces numbers', () => {
    expect(parseProducerArgs(['--rate', '0', '--count', '12000', '--malformed-ratio', '0.05', '--seed', '7'])).toMatchObject({
      rate: 0,
      count: 12000,
      'malformed-ratio': 0.05,
      seed: 7,
    });
  });

  it('returns help for --help', () => {
    expect(parseProducerArgs(['--help'])).toBe('help');
  });

  it('rejects a negative --rate with a ConfigError naming --rate', () => {
    const err = configError(() => parseProducerArgs(['--rate', '-1']));
    expect(err.setting).toBe('--rate');
    expect(err.message).toMatch(/^--rate: /);
  });

  it('rejects a negative --rate given as --rate=-1 by range, naming --rate', () => {
    const err = configError(() => parseProducerArgs(['--rate=-1']));
    expect(err.setting).toBe('--rate');
    expect(err.message).toMatch(/^--rate: /);
  });

  it('names the flag that lacks its value', () => {
    expect(configError(() => parseProducerArgs(['--count'])).setting).toBe('--count');
  });

  it('rejects a non-numeric --rate naming --rate', () => {
    expect(configError(() => parseProducerArgs(['--rate', 'fast'])).setting).toBe('--rate');
  });

  it('rejects an unknown flag with a ConfigError naming the flag', () => {
    const err = configError(() => parseProducerArgs(['--bogus', '1']));
    expect(err.setting).toBe('--bogus');
    expect(err.message).toContain('--bogus');
    expect(configError(() => parseProducerArgs(['-x'])).setting).toBe('-x');
  });

  it('rejects an unknown chain, a ratio above 1 and a fractional count, naming each flag', () => {
    expect(configError(() => parseProducerArgs(['--chain', 'nope'])).setting).toBe('--chain');
    expect(configError(() => parseProducerArgs(['--malformed-ratio', '1.5'])).setting).toBe('--malformed-ratio');
    expect(configError(() => parseProducerArgs(['--count', '2.5'])).setting).toBe('--count');
    expect(configError(() => parseProducerArgs(['--pace', 'warp'])).setting).toBe('--pace');
  });
});
