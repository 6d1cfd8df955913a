import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors';

export interface OpenSearchSecuritySettings {
  readonly OPENSEARCH_URL: string;
  readonly OPENSEARCH_USERNAME?: string | undefined;
  readonly OPENSEARCH_PASSWORD?: string | undefined;
  readonly OPENSEARCH_PASSWORD_FILE?: string | undefined;
  readonly OPENSEARCH_CA_FILE?: string | undefined;
  readonly OPENSEARCH_TLS_INSECURE: boolean;
}

/** What the OpenSearch client is built from (pipeline/opensearch's OpenSearchConnection). */
export interface OpenSearchLogin {
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  readonly caFile?: string;
  readonly insecure: boolean;
  /** The setting the password came from, for messages about a refused login. */
  readonly passwordSetting: 'OPENSEARCH_PASSWORD' | 'OPENSEARCH_PASSWORD_FILE';
}

function readable(setting: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(setting, `cannot read ${JSON.stringify(file)}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

/** The password, inline or from OPENSEARCH_PASSWORD_FILE (one trailing newline dropped), never both. */
export function openSearchPassword(s: Pick<OpenSearchSecuritySettings, 'OPENSEARCH_PASSWORD' | 'OPENSEARCH_PASSWORD_FILE'>): string | undefined {
  if (s.OPENSEARCH_PASSWORD && s.OPENSEARCH_PASSWORD_FILE) {
    throw new ConfigError('OPENSEARCH_PASSWORD_FILE', 'set either OPENSEARCH_PASSWORD or OPENSEARCH_PASSWORD_FILE, not both');
  }
  return s.OPENSEARCH_PASSWORD_FILE ? readable('OPENSEARCH_PASSWORD_FILE', s.OPENSEARCH_PASSWORD_FILE).replace(/\r?\n$/, '') : s.OPENSEARCH_PASSWORD;
}

/**
 * The OpenSearch connection settings, checked as a whole: a combination that could only fail
 * at the first request (a user without a password, a CA for a plain-HTTP URL, an unreadable
 * file) stops the service at start and names the setting. The password never leaves this object.
 */
export function openSearchLogin(s: OpenSearchSecuritySettings): OpenSearchLogin {
  const https = s.OPENSEARCH_URL.startsWith('https:');
  const passwordSetting = s.OPENSEARCH_PASSWORD_FILE ? 'OPENSEARCH_PASSWORD_FILE' : 'OPENSEARCH_PASSWORD';
  const password = openSearchPassword(s);
  if (s.OPENSEARCH_USERNAME && !password) throw new ConfigError('OPENSEARCH_PASSWORD', `required (or OPENSEARCH_PASSWORD_FILE) with OPENSEARCH_USERNAME=${s.OPENSEARCH_USERNAME}`);
  if (!s.OPENSEARCH_USERNAME && password) throw new ConfigError('OPENSEARCH_USERNAME', `required with ${passwordSetting}: whose password is it?`);

  if (s.OPENSEARCH_CA_FILE) {
    if (!https) throw new ConfigError('OPENSEARCH_CA_FILE', `needs an https:// OPENSEARCH_URL (got ${s.OPENSEARCH_URL})`);
    if (s.OPENSEARCH_TLS_INSECURE) throw new ConfigError('OPENSEARCH_TLS_INSECURE', 'turns off the check OPENSEARCH_CA_FILE is for: set one of them');
    if (!readable('OPENSEARCH_CA_FILE', s.OPENSEARCH_CA_FILE).includes('-----BEGIN CERTIFICATE-----')) {
      throw new ConfigError('OPENSEARCH_CA_FILE', `${JSON.stringify(s.OPENSEARCH_CA_FILE)} holds no PEM certificate`);
    }
  }
  return {
    url: s.OPENSEARCH_URL,
    ...(s.OPENSEARCH_USERNAME ? { username: s.OPENSEARCH_USERNAME } : {}),
    ...(password ? { password } : {}),
    ...(s.OPENSEARCH_CA_FILE ? { caFile: s.OPENSEARCH_CA_FILE } : {}),
    insecure: https && s.OPENSEARCH_TLS_INSECURE,
    passwordSetting,
  };
}
