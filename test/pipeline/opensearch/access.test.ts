import { errors, type Client } from '@opensearch-project/opensearch';
import { ConfigError, ErrorCode, OpenSearchAccessError, OpenSearchError } from '../../../pipeline/errors';
import { accessError, checkOpenSearchAccess, deniedAtStart } from '../../../pipeline/opensearch';

const response = (status: number, reason: string) =>
  new errors.ResponseError({ body: { error: { type: 'security_exception', reason }, status }, statusCode: status, headers: {}, meta: {} as never, warnings: null });
const target = { url: 'https://127.0.0.1:9443', username: 'indexer', caFile: '/stack/tls/ca.crt', passwordSetting: 'OPENSEARCH_PASSWORD_FILE' };

describe('accessError', () => {
  it('names the password setting in use when the login is refused', () => {
    const err = accessError(response(401, 'authentication failed for user [indexer]'), target);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err).toMatchObject({
      setting: 'OPENSEARCH_PASSWORD_FILE',
      message: 'OPENSEARCH_PASSWORD_FILE: OpenSearch at https://127.0.0.1:9443 refused the login of user "indexer" (HTTP 401): check OPENSEARCH_USERNAME and OPENSEARCH_PASSWORD_FILE',
    });
  });

  it('asks for a user when OpenSearch wants a login and none is set', () => {
    expect(accessError(response(401, 'x'), { url: target.url })).toMatchObject({ setting: 'OPENSEARCH_USERNAME' });
  });

  it.each([
    'self-signed certificate in certificate chain',
    'unable to verify the first certificate',
    'unable to get local issuer certificate',
  ])('names OPENSEARCH_CA_FILE and the CA it holds for "%s"', (reason) => {
    const err = accessError(new errors.ConnectionError(reason), target);
    expect(err).toMatchObject({ setting: 'OPENSEARCH_CA_FILE' });
    expect((err as Error).message).toContain('is not signed by the CA in "/stack/tls/ca.crt"');
  });

  it('says the system CAs were used when no CA file is set', () => {
    expect((accessError(new errors.ConnectionError('self-signed certificate in certificate chain'), { url: target.url }) as Error).message).toContain('the system CAs (OPENSEARCH_CA_FILE is unset)');
  });

  it('names OPENSEARCH_URL for a certificate of another host and for a plain-HTTP port behind https://', () => {
    expect(accessError(new errors.ConnectionError("Hostname/IP does not match certificate's altnames: IP: 10.0.0.1 is not in the cert's list"), target)).toMatchObject({ setting: 'OPENSEARCH_URL' });
    expect(accessError(new errors.ConnectionError('write EPROTO 00000000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number'), target)).toMatchObject({ setting: 'OPENSEARCH_URL' });
  });

  it('names OPENSEARCH_URL when plain HTTP reaches a TLS port', () => {
    const page = new errors.ResponseError({ body: '<html><center>The plain HTTP request was sent to HTTPS port</center></html>', statusCode: 400, headers: {}, meta: {} as never, warnings: null });
    expect(accessError(page, { url: 'http://127.0.0.1:9443' })).toMatchObject({ setting: 'OPENSEARCH_URL' });
    const badRequest = response(400, 'x');
    expect(accessError(badRequest, target)).toBe(badRequest);
  });

  it('reports a refused GET / as a missing permission, not retryable', () => {
    const err = accessError(response(403, 'no permissions for [GET /] and User [name=indexer]'), target);
    expect(err).toBeInstanceOf(OpenSearchError);
    expect(err).toMatchObject({ code: ErrorCode.OPENSEARCH_UNAUTHORIZED, retryable: false });
    expect((err as Error).message).toContain('no permissions for [GET /] and User [name=indexer]');
  });

  it('leaves an unreachable cluster as it is, so the start-up retry waits for it', () => {
    const refusedConnection = new errors.ConnectionError('connect ECONNREFUSED 127.0.0.1:9443');
    expect(accessError(refusedConnection, target)).toBe(refusedConnection);
    const unavailable = response(503, 'x');
    expect(accessError(unavailable, target)).toBe(unavailable);
  });
});

describe('checkOpenSearchAccess', () => {
  it('passes when GET / answers and throws the classified error when it does not', async () => {
    await expect(checkOpenSearchAccess({ info: async () => ({ body: {} }) } as unknown as Client, target)).resolves.toBeUndefined();
    const refusing = { info: async () => Promise.reject(response(401, 'x')) } as unknown as Client;
    await expect(checkOpenSearchAccess(refusing, target)).rejects.toMatchObject({ setting: 'OPENSEARCH_PASSWORD_FILE' });
  });
});

describe('deniedAtStart', () => {
  it('turns a 403 of index setup, even wrapped, into an OpenSearchAccessError naming the refused request and the user', () => {
    const reason = 'no permissions for [PUT /_ingest/pipeline/streamdex-indexed-at-latency] and User [name=dashboards]';
    const wrapped = new OpenSearchError('could not prepare index streamdex-login: 403', { cause: response(403, reason) });
    const err = deniedAtStart(wrapped, { ...target, username: 'dashboards' });
    expect(err).toBeInstanceOf(OpenSearchAccessError);
    expect(err).toMatchObject({ missing: ['PUT /_ingest/pipeline/streamdex-indexed-at-latency'], code: ErrorCode.OPENSEARCH_UNAUTHORIZED, retryable: false });
    expect((err as Error).message).toBe(`OpenSearch denies user "dashboards" PUT /_ingest/pipeline/streamdex-indexed-at-latency (${reason}): grant it (README.md#security), or start this service as the user meant for it (OPENSEARCH_USERNAME)`);
  });

  it('leaves every other error as it was', () => {
    const unavailable = response(503, 'not ready');
    expect(deniedAtStart(unavailable, target)).toBe(unavailable);
    const plain = new Error('boom');
    expect(deniedAtStart(plain, target)).toBe(plain);
  });
});
