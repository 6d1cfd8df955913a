import { kafkaSecurity, type KafkaSecuritySettings } from '../config';
import { checkKafkaAccess, type KafkaAccess } from '../kafka';
import type { Logger } from '../logger';

export interface AccessSettings extends KafkaSecuritySettings {
  readonly KAFKA_BROKERS: readonly string[];
  readonly KAFKA_CLIENT_ID: string;
}

/**
 * A secured service's first step: its login, the brokers' certificate and the principal's
 * ACLs on the topics it will read and write, checked before any client connects (see
 * checkKafkaAccess). Without security there is nothing to check.
 */
export async function ensureKafkaAccess(s: AccessSettings, role: string, access: KafkaAccess, logger: Logger): Promise<void> {
  if (s.KAFKA_SECURITY_PROTOCOL === 'PLAINTEXT') return;
  const result = await checkKafkaAccess({
    login: {
      brokers: s.KAFKA_BROKERS,
      protocol: s.KAFKA_SECURITY_PROTOCOL,
      mechanism: s.KAFKA_SASL_MECHANISM,
      username: s.KAFKA_SASL_USERNAME,
      passwordSetting: s.KAFKA_SASL_PASSWORD_FILE ? 'KAFKA_SASL_PASSWORD_FILE' : 'KAFKA_SASL_PASSWORD',
      caFile: s.KAFKA_SSL_CA_FILE,
    },
    librdkafka: kafkaSecurity(s),
    clientId: `${s.KAFKA_CLIENT_ID}-${role}`,
    access,
  });
  if (result === 'unreachable') logger.warn({ brokers: s.KAFKA_BROKERS }, 'Kafka access not checked: no broker answered yet');
  else logger.info({ user: s.KAFKA_SASL_USERNAME, read: access.read, write: access.write }, 'Kafka access checked');
}
