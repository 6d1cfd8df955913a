import { readFileSync } from 'node:fs';
import { Client } from '@opensearch-project/opensearch';
import type { OpenSearchConnection } from './options';

export function createOpenSearchClient(c: OpenSearchConnection): Client {
  const https = c.url.startsWith('https:');
  return new Client({
    node: c.url,
    ...(c.username ? { auth: { username: c.username, password: c.password ?? '' } } : {}),
    ...(https ? { ssl: { rejectUnauthorized: !c.insecure, ...(c.caFile ? { ca: readFileSync(c.caFile) } : {}) } } : {}),
    requestTimeout: c.requestTimeoutMs ?? 30_000,
    // Retries are ours (per item, with backoff); the client's own would resend whole bulks.
    maxRetries: 0,
  });
}
