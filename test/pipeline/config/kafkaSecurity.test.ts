import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { kafkaSecurity, kafkaSettings, loadConfig } from '../../../pipeline/config';
import { ConfigError } from '../../../pipeline/errors';
import { createLogger } from '../../../pipeline/logger';

const schema = z.object(kafkaSettings);
const dir = mkdtempSync(path.join(tmpdir(), 'kafka-security-'));
const ca = path.join(dir, 'ca.pem');
writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
const pw = path.join(dir, 'pw');
writeFileSync(pw, 's3cret-from-file\n');

function settingOf(env: Record<string, string>): string {
  try {
    kafkaSecurity(loadConfig(schema, env));
  } catch (err) {
    if (err instanceof ConfigError) return err.setting;
    throw err;
  }
  return 'none';
}

describe('kafkaSecurity', () => {
  it('is plaintext with nothing set', () => {
    expect(kafkaSecurity(loadConfig(schema, {}))).toEqual({ 'security.protocol': 'plaintext' });
  });

  it('builds SASL_SSL with SCRAM, the CA and a password from a file', () => {
    const env = { KAFKA_SECURITY_PROTOCOL: 'SASL_SSL', KAFKA_SASL_USERNAME: 'processor', KAFKA_SASL_PASSWORD_FILE: pw, KAFKA_SSL_CA_FILE: ca };
    expect(kafkaSecurity(loadConfig(schema, env))).toEqual({
      'security.protocol': 'sasl_ssl',
      'sasl.mechanisms': 'SCRAM-SHA-512',
      'sasl.username': 'processor',
      'sasl.password': 's3cret-from-file',
      'ssl.ca.location': ca,
    });
  });

  it.each([
    [{ KAFKA_SECURITY_PROTOCOL: 'SASL_SSL', KAFKA_SASL_PASSWORD: 'x' }, 'KAFKA_SASL_USERNAME'],
    [{ KAFKA_SECURITY_PROTOCOL: 'SASL_SSL', KAFKA_SASL_USERNAME: 'u' }, 'KAFKA_SASL_PASSWORD'],
    [{ KAFKA_SECURITY_PROTOCOL: 'SASL_SSL', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'x', KAFKA_SASL_PASSWORD_FILE: pw }, 'KAFKA_SASL_PASSWORD_FILE'],
    [{ KAFKA_SECURITY_PROTOCOL: 'SASL_SSL', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD_FILE: path.join(dir, 'missing') }, 'KAFKA_SASL_PASSWORD_FILE'],
    [{ KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT', KAFKA_SASL_MECHANISM: 'PLAIN', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'x' }, 'KAFKA_SASL_MECHANISM'],
    [{ KAFKA_SASL_PASSWORD: 'x' }, 'KAFKA_SASL_PASSWORD'],
    [{ KAFKA_SSL_CA_FILE: ca }, 'KAFKA_SSL_CA_FILE'],
    [{ KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_CA_FILE: pw }, 'KAFKA_SSL_CA_FILE'],
    [{ KAFKA_SECURITY_PROTOCOL: 'TLS' }, 'KAFKA_SECURITY_PROTOCOL'],
  ])('%j stops at start naming %s', (env, setting) => {
    expect(settingOf(env)).toBe(setting);
  });

  it('keeps the password out of logs, at the top level and nested', () => {
    const lines: string[] = [];
    const logger = createLogger('t', 'info', { write: (l: string) => void lines.push(l) });
    const config = kafkaSecurity(loadConfig(schema, { KAFKA_SECURITY_PROTOCOL: 'SASL_SSL', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'hunter2-secret' }));
    logger.info(config, 'flat');
    logger.info({ config }, 'nested');
    logger.info({ client: { config } }, 'deeper');
    logger.info({ password: 'hunter2-secret', OPENSEARCH_PASSWORD: 'hunter2-secret' }, 'named');
    expect(lines).toHaveLength(4);
    for (const l of lines) expect(l).not.toContain('hunter2-secret');
    expect(lines[0]).toContain('[redacted]');
  });
});
