import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { loadConfig, openSearchLogin, openSearchSettings } from '../../../pipeline/config';
import { ConfigError } from '../../../pipeline/errors';

const schema = z.object(openSearchSettings);
const dir = mkdtempSync(path.join(tmpdir(), 'opensearch-security-'));
const ca = path.join(dir, 'ca.pem');
writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
const notPem = path.join(dir, 'key.txt');
writeFileSync(notPem, 'not a certificate\n');
const pw = path.join(dir, 'pw');
writeFileSync(pw, 's3cret-from-file\n');
const https = 'https://127.0.0.1:9443';

const login = (env: Record<string, string>) => openSearchLogin(loadConfig(schema, env));
function refused(env: Record<string, string>): ConfigError {
  try {
    login(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('accepted');
}

describe('openSearchLogin', () => {
  it('is anonymous plain HTTP with nothing set', () => {
    expect(login({})).toEqual({ url: 'http://127.0.0.1:9200', insecure: false, passwordSetting: 'OPENSEARCH_PASSWORD' });
  });

  it('reads the password from OPENSEARCH_PASSWORD_FILE without its newline, and keeps the CA', () => {
    expect(login({ OPENSEARCH_URL: https, OPENSEARCH_USERNAME: 'indexer', OPENSEARCH_PASSWORD_FILE: pw, OPENSEARCH_CA_FILE: ca })).toEqual({
      url: https,
      username: 'indexer',
      password: 's3cret-from-file',
      caFile: ca,
      insecure: false,
      passwordSetting: 'OPENSEARCH_PASSWORD_FILE',
    });
  });

  it.each([
    ['a user without a password', { OPENSEARCH_USERNAME: 'indexer' }, 'OPENSEARCH_PASSWORD'],
    ['a password without a user', { OPENSEARCH_PASSWORD: 'x' }, 'OPENSEARCH_USERNAME'],
    ['both password settings', { OPENSEARCH_USERNAME: 'indexer', OPENSEARCH_PASSWORD: 'x', OPENSEARCH_PASSWORD_FILE: pw }, 'OPENSEARCH_PASSWORD_FILE'],
    ['a password file that is not there', { OPENSEARCH_USERNAME: 'indexer', OPENSEARCH_PASSWORD_FILE: path.join(dir, 'missing') }, 'OPENSEARCH_PASSWORD_FILE'],
    ['a CA for a plain-HTTP URL', { OPENSEARCH_CA_FILE: ca }, 'OPENSEARCH_CA_FILE'],
    ['a CA file that is not there', { OPENSEARCH_URL: https, OPENSEARCH_CA_FILE: path.join(dir, 'missing.pem') }, 'OPENSEARCH_CA_FILE'],
    ['a CA file without a certificate', { OPENSEARCH_URL: https, OPENSEARCH_CA_FILE: notPem }, 'OPENSEARCH_CA_FILE'],
    ['a CA and no certificate check at once', { OPENSEARCH_URL: https, OPENSEARCH_CA_FILE: ca, OPENSEARCH_TLS_INSECURE: 'true' }, 'OPENSEARCH_TLS_INSECURE'],
  ])('stops at start on %s, naming %s', (_what, env, setting) => {
    expect(refused(env).setting).toBe(setting);
  });

  it('never puts the password in its error messages', () => {
    expect(refused({ OPENSEARCH_USERNAME: 'indexer', OPENSEARCH_PASSWORD: 'hunter2-secret', OPENSEARCH_PASSWORD_FILE: pw }).message).not.toContain('hunter2');
  });

  it('turns the insecure flag off for plain HTTP, where there is no certificate to skip', () => {
    expect(login({ OPENSEARCH_TLS_INSECURE: 'true' }).insecure).toBe(false);
    expect(login({ OPENSEARCH_URL: https, OPENSEARCH_TLS_INSECURE: 'true' }).insecure).toBe(true);
  });
});
