import { ConfigError } from '../../../pipeline/errors';
import { AclOperation, connectionFailure, missingPermissions, type KafkaLogin } from '../../../pipeline/kafka/accessDiagnosis';

const login: KafkaLogin = {
  brokers: ['127.0.0.1:9092'],
  protocol: 'SASL_SSL',
  mechanism: 'SCRAM-SHA-512',
  username: 'indexer',
  passwordSetting: 'KAFKA_SASL_PASSWORD_FILE',
  caFile: '/etc/streamdex/ca.crt',
};

describe('connectionFailure', () => {
  it('names the password setting in use when the broker refuses the login', () => {
    const err = connectionFailure('authentication failure', login)!;
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.setting).toBe('KAFKA_SASL_PASSWORD_FILE');
    expect(err.message).toBe(
      'KAFKA_SASL_PASSWORD_FILE: the broker at 127.0.0.1:9092 refused the SCRAM-SHA-512 login of user "indexer" (authentication failure): wrong password for KAFKA_SASL_USERNAME, or no such user',
    );
    expect(connectionFailure('SASL authentication error: Authentication failed', { ...login, passwordSetting: undefined })!.setting).toBe('KAFKA_SASL_PASSWORD');
  });

  it('names KAFKA_SSL_CA_FILE and the CA it used when the handshake fails', () => {
    const err = connectionFailure('ssl error', login)!;
    expect(err.setting).toBe('KAFKA_SSL_CA_FILE');
    expect(err.message).toContain('not signed by the CA in "/etc/streamdex/ca.crt"');
    expect(connectionFailure('SSL handshake failed: certificate verify failed', { ...login, caFile: undefined })!.message).toContain('the system CAs (KAFKA_SSL_CA_FILE is unset)');
  });

  it('leaves a broker that is just down to the clients', () => {
    expect(connectionFailure('all broker connections are down', login)).toBeUndefined();
    expect(connectionFailure('broker transport failure', login)).toBeUndefined();
  });
});

describe('missingPermissions', () => {
  const access = { read: ['processed', 'dlq'], write: ['dlq', 'health'] };

  it('lists each operation the described topics lack, reads first', () => {
    const missing = missingPermissions(access, [
      { name: 'processed', authorizedOperations: [AclOperation.READ, AclOperation.DESCRIBE] },
      { name: 'dlq', authorizedOperations: [AclOperation.DESCRIBE] },
      { name: 'health', authorizedOperations: [AclOperation.WRITE, AclOperation.DESCRIBE] },
    ]);
    expect(missing).toEqual(['Read on topic dlq', 'Write on topic dlq']);
  });

  it('counts a topic the broker hides (authorization failed) as lacking everything asked of it', () => {
    expect(missingPermissions(access, [{ name: 'health', errorCode: 29 }])).toEqual(['Write on topic health']);
  });

  it('gives no verdict on unknown topics or a broker without an authorizer', () => {
    expect(missingPermissions(access, [{ name: 'processed', errorCode: 3 }, { name: 'dlq' }, { name: 'health', authorizedOperations: undefined }])).toEqual([]);
  });
});
