import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors';

export interface KafkaSecuritySettings {
  readonly KAFKA_SECURITY_PROTOCOL: 'PLAINTEXT' | 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL';
  readonly KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512' | 'SCRAM-SHA-256' | 'PLAIN';
  readonly KAFKA_SASL_USERNAME?: string | undefined;
  readonly KAFKA_SASL_PASSWORD?: string | undefined;
  readonly KAFKA_SASL_PASSWORD_FILE?: string | undefined;
  readonly KAFKA_SSL_CA_FILE?: string | undefined;
}

function readable(setting: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(setting, `cannot read ${JSON.stringify(file)}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

/**
 * The librdkafka settings for the chosen protocol, checked as a whole: a combination that
 * could only fail at the first connection (SASL without a user, a CA without TLS) stops the
 * service at start and names the setting. The password never leaves this object.
 */
export function kafkaSecurity(s: KafkaSecuritySettings): Record<string, string> {
  const protocol = s.KAFKA_SECURITY_PROTOCOL;
  const sasl = protocol === 'SASL_SSL' || protocol === 'SASL_PLAINTEXT';
  const tls = protocol === 'SASL_SSL' || protocol === 'SSL';
  const out: Record<string, string> = { 'security.protocol': protocol.toLowerCase() };

  if (sasl) {
    if (!s.KAFKA_SASL_USERNAME) throw new ConfigError('KAFKA_SASL_USERNAME', `required with KAFKA_SECURITY_PROTOCOL=${protocol}`);
    if (s.KAFKA_SASL_PASSWORD && s.KAFKA_SASL_PASSWORD_FILE) {
      throw new ConfigError('KAFKA_SASL_PASSWORD_FILE', 'set either KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE, not both');
    }
    const password = s.KAFKA_SASL_PASSWORD_FILE
      ? readable('KAFKA_SASL_PASSWORD_FILE', s.KAFKA_SASL_PASSWORD_FILE).replace(/\r?\n$/, '')
      : s.KAFKA_SASL_PASSWORD;
    if (!password) throw new ConfigError('KAFKA_SASL_PASSWORD', `required (or KAFKA_SASL_PASSWORD_FILE) with KAFKA_SECURITY_PROTOCOL=${protocol}`);
    out['sasl.mechanisms'] = s.KAFKA_SASL_MECHANISM;
    out['sasl.username'] = s.KAFKA_SASL_USERNAME;
    out['sasl.password'] = password;
    if (s.KAFKA_SASL_MECHANISM === 'PLAIN' && !tls) {
      throw new ConfigError('KAFKA_SASL_MECHANISM', 'PLAIN sends the password in clear text: use it only with KAFKA_SECURITY_PROTOCOL=SASL_SSL');
    }
  } else {
    for (const setting of ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD', 'KAFKA_SASL_PASSWORD_FILE'] as const) {
      if (s[setting]) throw new ConfigError(setting, `is ignored with KAFKA_SECURITY_PROTOCOL=${protocol}: set it to SASL_SSL or drop ${setting}`);
    }
  }

  if (s.KAFKA_SSL_CA_FILE) {
    if (!tls) throw new ConfigError('KAFKA_SSL_CA_FILE', `needs KAFKA_SECURITY_PROTOCOL=SSL or SASL_SSL (got ${protocol})`);
    if (!readable('KAFKA_SSL_CA_FILE', s.KAFKA_SSL_CA_FILE).includes('-----BEGIN CERTIFICATE-----')) {
      throw new ConfigError('KAFKA_SSL_CA_FILE', `${JSON.stringify(s.KAFKA_SSL_CA_FILE)} holds no PEM certificate`);
    }
    out['ssl.ca.location'] = s.KAFKA_SSL_CA_FILE;
  }
  // Hostname checks stay on (librdkafka's default "https"): a certificate for another host fails.
  return out;
}
