import { ConfigError } from '../errors';

/** What a service will do with which topics: checked against the broker before it starts. */
export interface KafkaAccess {
  readonly read: readonly string[];
  readonly write: readonly string[];
}

/** The login settings as given, for messages: never the password. */
export interface KafkaLogin {
  readonly brokers: readonly string[];
  readonly protocol: string;
  readonly mechanism?: string | undefined;
  readonly username?: string | undefined;
  /** Which setting held the password: KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE. */
  readonly passwordSetting?: string | undefined;
  readonly caFile?: string | undefined;
}

/** One topic as the broker describes it to this principal. */
export interface TopicAccess {
  readonly name: string;
  /** Broker error code for this topic (29: topic authorization failed, 3: unknown topic). */
  readonly errorCode?: number | undefined;
  /** AclOperationTypes the principal holds on it; undefined when the broker has no authorizer. */
  readonly authorizedOperations?: readonly number[] | undefined;
}

/** AclOperationTypes of @confluentinc/kafka-javascript, the ones checked here. */
export const AclOperation = { READ: 3, WRITE: 4, DESCRIBE: 8 } as const;
const TOPIC_AUTHORIZATION_FAILED = 29;

/**
 * The librdkafka error event that says why no connection came up, as the setting to fix.
 * librdkafka retries a refused login or handshake forever; the first such event is final.
 */
export function connectionFailure(message: string, login: KafkaLogin): ConfigError | undefined {
  const brokers = login.brokers.join(',');
  if (/authenticat/i.test(message)) {
    const setting = login.passwordSetting ?? 'KAFKA_SASL_PASSWORD';
    return new ConfigError(
      setting,
      `the broker at ${brokers} refused the ${login.mechanism ?? 'SASL'} login of user "${login.username ?? ''}" (${message}): wrong password for KAFKA_SASL_USERNAME, or no such user`,
    );
  }
  if (/ssl|certificate|handshake/i.test(message)) {
    const trust = login.caFile ? `the CA in ${JSON.stringify(login.caFile)}` : 'the system CAs (KAFKA_SSL_CA_FILE is unset)';
    return new ConfigError('KAFKA_SSL_CA_FILE', `the TLS handshake with ${brokers} failed (${message}): its certificate is not signed by ${trust}, or the listener does not speak TLS (KAFKA_SECURITY_PROTOCOL=${login.protocol})`);
  }
  return undefined;
}

/**
 * Each permission the service needs and the broker's description shows it lacks, as
 * "Read on topic x". A topic the broker does not know yet is no verdict (create-topics may
 * not have run); one it hides (authorization failed) lacks everything asked of it.
 */
export function missingPermissions(access: KafkaAccess, topics: readonly TopicAccess[]): string[] {
  const byName = new Map(topics.map((t) => [t.name, t]));
  const missing: string[] = [];
  const need = (names: readonly string[], op: number, label: string) => {
    for (const name of names) {
      const t = byName.get(name);
      if (!t) continue;
      const denied = t.errorCode === TOPIC_AUTHORIZATION_FAILED || (t.errorCode === undefined && t.authorizedOperations !== undefined && !t.authorizedOperations.includes(op));
      if (denied) missing.push(`${label} on topic ${name}`);
    }
  };
  need(access.read, AclOperation.READ, 'Read');
  need(access.write, AclOperation.WRITE, 'Write');
  return missing;
}
