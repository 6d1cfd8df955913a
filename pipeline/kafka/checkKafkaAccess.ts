import { AdminClient, type LibrdKafkaError } from '@confluentinc/kafka-javascript';
import { AccessError } from '../errors';
import { connectionFailure, missingPermissions, type KafkaAccess, type KafkaLogin, type TopicAccess } from './accessDiagnosis';

export interface AccessCheckOptions {
  readonly login: KafkaLogin;
  /** librdkafka settings of the service's clients (security included). */
  readonly librdkafka: Readonly<Record<string, string>>;
  readonly clientId: string;
  readonly access: KafkaAccess;
  readonly timeoutMs?: number;
}

export type AccessCheckResult = 'ok' | 'unreachable';

/**
 * Before a secured service connects its clients: one topic description with the
 * principal's authorized operations. librdkafka retries a refused login or TLS handshake
 * forever and its clients then report only "broker transport failure", and a missing ACL
 * shows only at the first fetch or delivery; here each stops the start with the setting or
 * the permission named (ConfigError: exit 2; AccessError: exit 3). A broker that does not
 * answer is the clients' own connect timeout to report, as without security.
 */
export async function checkKafkaAccess(o: AccessCheckOptions): Promise<AccessCheckResult> {
  const topics = [...new Set([...o.access.read, ...o.access.write])];
  if (topics.length === 0) return 'ok';
  let refused: Error | undefined;
  const admin = AdminClient.create(
    { 'bootstrap.servers': o.login.brokers.join(','), 'client.id': `${o.clientId}-access-check`, ...o.librdkafka },
    { 'event.error': (err: LibrdKafkaError) => (refused ??= connectionFailure(err.message, o.login)) },
  );
  // Short requests, repeated: a client with a request pending cannot be destroyed before its
  // timeout, so a refused login is reported within one ATTEMPT_MS rather than the deadline.
  const describe = () =>
    new Promise<TopicAccess[] | undefined>((resolve) => {
      admin.describeTopics(topics, { includeAuthorizedOperations: true, timeout: ATTEMPT_MS }, (err, descriptions) => {
        if (err) return resolve(undefined);
        resolve(descriptions.map((d) => ({ name: d.name, errorCode: d.error?.code, authorizedOperations: d.authorizedOperations ?? undefined })));
      });
    });
  try {
    const deadline = Date.now() + (o.timeoutMs ?? 15_000);
    let described: TopicAccess[] | undefined;
    while (!described && !refused && Date.now() < deadline) described = await describe();
    if (refused) throw refused;
    if (!described) return 'unreachable';
    const missing = missingPermissions(o.access, described);
    if (missing.length > 0) throw new AccessError(`User:${o.login.username ?? 'ANONYMOUS'}`, missing);
    return 'ok';
  } finally {
    admin.disconnect();
  }
}

const ATTEMPT_MS = 1_000;
