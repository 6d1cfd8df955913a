import type { Client } from '@opensearch-project/opensearch';
import { ConnectionError, ResponseError } from '@opensearch-project/opensearch/lib/errors.js';
import { ConfigError, OpenSearchAccessError, openSearchError } from '../errors';
import { describe } from './indices';

export interface AccessTarget {
  readonly url: string;
  readonly username?: string | undefined;
  readonly caFile?: string | undefined;
  /** Where the password came from: the setting a refused login names. */
  readonly passwordSetting?: string;
}

// Node's messages for a certificate chain that does not end at a trusted CA.
const UNTRUSTED = /self[- ]signed certificate|unable to verify the first certificate|unable to get (local )?issuer certificate|certificate signature failure|certificate has expired|certificate is not yet valid/i;
const WRONG_HOST = /does not match certificate's altnames|ERR_TLS_CERT_ALTNAME_INVALID/i;
const NOT_TLS = /wrong version number|packet length too long|unknown protocol/i;

/**
 * One request (GET /) before any work, so credentials and trust are checked at start: a
 * refused login, an untrusted certificate or a URL that speaks no TLS is bad configuration
 * (ConfigError naming the setting: the service exits 2) that no retry heals. A cluster that
 * does not answer yet stays retryable, as it is while OpenSearch starts.
 */
export async function checkOpenSearchAccess(client: Client, t: AccessTarget): Promise<void> {
  try {
    await client.info();
  } catch (err) {
    throw accessError(err, t);
  }
}

export function accessError(err: unknown, t: AccessTarget): unknown {
  if (err instanceof ResponseError) {
    if (err.statusCode === 401) {
      if (!t.username) return new ConfigError('OPENSEARCH_USERNAME', `OpenSearch at ${t.url} asks for a login (HTTP 401): set OPENSEARCH_USERNAME and OPENSEARCH_PASSWORD (or OPENSEARCH_PASSWORD_FILE)`);
      const setting = t.passwordSetting ?? 'OPENSEARCH_PASSWORD';
      return new ConfigError(setting, `OpenSearch at ${t.url} refused the login of user ${JSON.stringify(t.username)} (HTTP 401): check OPENSEARCH_USERNAME and ${setting}`);
    }
    // nginx's answer to plain HTTP on its TLS port: a 400 page, not OpenSearch's JSON.
    if (err.statusCode === 400 && /plain HTTP request was sent to HTTPS port/i.test(String(err.body))) {
      return new ConfigError('OPENSEARCH_URL', `${t.url} is a TLS port (HTTP 400 "The plain HTTP request was sent to HTTPS port"): use https://`);
    }
    if (err.statusCode === 403) return openSearchError(`OpenSearch at ${t.url} lets user ${JSON.stringify(t.username ?? '')} log in but not read its version (GET /, cluster:monitor/main): ${describe(err)}`, err);
    return err;
  }
  if (err instanceof ConnectionError) {
    const reason = err.message.trim();
    if (UNTRUSTED.test(reason)) {
      const trusted = t.caFile ? `the CA in ${JSON.stringify(t.caFile)}` : 'the system CAs (OPENSEARCH_CA_FILE is unset)';
      return new ConfigError('OPENSEARCH_CA_FILE', `the certificate of ${t.url} is not signed by ${trusted} (${reason}): point OPENSEARCH_CA_FILE at the CA that signed it`);
    }
    if (WRONG_HOST.test(reason)) return new ConfigError('OPENSEARCH_URL', `the certificate of ${t.url} is not issued for its host (${reason}): use a host name the certificate names`);
    if (NOT_TLS.test(reason) && t.url.startsWith('https:')) return new ConfigError('OPENSEARCH_URL', `${t.url} does not answer TLS (${reason}): is it an http:// port?`);
  }
  return err;
}

/** The first OpenSearch response in an error's cause chain. */
function responseIn(err: unknown): ResponseError | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof ResponseError) return e;
  }
  return undefined;
}

/**
 * A 403 while the service sets up its indices is a role the user lacks: OpenSearchAccessError
 * (exit 3) naming the refused request, as the security plugin and the stack's front word it
 * ("no permissions for [PUT /_ingest/pipeline/...] and User [name=...]"). Anything else as it was.
 */
export function deniedAtStart(err: unknown, t: AccessTarget): unknown {
  const response = responseIn(err);
  if (response?.statusCode !== 403) return err;
  const reason = String((response.body as { error?: { reason?: unknown } } | undefined)?.error?.reason ?? describe(response));
  const request = /no permissions for \[([^\]]+)\]/.exec(reason)?.[1];
  return new OpenSearchAccessError(t.username ?? '', [request ?? 'what index setup needs'], reason, err);
}
