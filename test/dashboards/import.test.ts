/**
 * dashboards-import against a stand-in for the Dashboards HTTP API (a local node:http
 * server that records what it receives), since no Dashboards server runs here.
 */
import { once } from 'node:events';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Dashboards, findDashboardsDir, listNdjson, main } from '../../dashboards/import';
import { createLogger } from '../../pipeline/logger';

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

interface FakeDashboards {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

type Handler = (req: Received) => { status: number; body?: unknown };

async function fakeDashboards(handler: Handler): Promise<FakeDashboards> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      received.push(r);
      const { status, body } = handler(r);
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body ?? {}));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** The uploaded file of a multipart request, parsed by undici as a browser would. */
async function uploadedFile(r: Received): Promise<{ name: string; text: string }> {
  const form = await new Response(r.body, { headers: { 'content-type': String(r.headers['content-type']) } }).formData();
  const file = form.get('file') as File;
  return { name: file.name, text: await file.text() };
}

const dashboardsDir = path.resolve(__dirname, '..', '..', 'dashboards');
const quiet = { LOG_LEVEL: 'silent' };
const importOk = (r: Received) => {
  const objects = r.body.toString('utf8').split('\n').filter((l) => l.startsWith('{"attributes"')).length;
  return { status: 200, body: { success: true, successCount: objects } };
};

describe('dashboards-import', () => {
  let stderr: jest.SpyInstance;
  beforeEach(() => {
    stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => stderr.mockRestore());

  it('finds the saved objects beside its source when run with ts-node or jest', () => {
    expect(findDashboardsDir()).toBe(dashboardsDir);
    expect(listNdjson(dashboardsDir).map((f) => path.basename(f))).toContain('login.ndjson');
  });

  it('uploads every ndjson file as multipart form data with overwrite, the xsrf header, basic auth and the tenant', async () => {
    const server = await fakeDashboards((r) => (r.url === '/api/status' ? { status: 200 } : importOk(r)));
    try {
      const code = await main([], { ...quiet, DASHBOARDS_URL: server.url, OPENSEARCH_USERNAME: 'admin', OPENSEARCH_PASSWORD: 's3cret' });
      expect(code).toBe(0);
      const imports = server.received.filter((r) => r.url.startsWith('/api/saved_objects/_import'));
      expect(imports.map((r) => [r.method, r.url])).toEqual(listNdjson(dashboardsDir).map(() => ['POST', '/api/saved_objects/_import?overwrite=true']));
      for (const r of [...imports, server.received[0]!]) {
        expect(r.headers['osd-xsrf']).toBe('true');
        expect(r.headers.authorization).toBe(`Basic ${Buffer.from('admin:s3cret').toString('base64')}`);
        expect(r.headers.securitytenant).toBe('global');
      }
      const login = await uploadedFile(imports.find((r) => r.body.includes('filename="login.ndjson"'))!);
      expect(login).toEqual({ name: 'login.ndjson', text: readFileSync(path.join(dashboardsDir, 'login.ndjson'), 'utf8') });
    } finally {
      await server.close();
    }
  });

  it('imports only the file given with --file', async () => {
    const server = await fakeDashboards((r) => (r.url === '/api/status' ? { status: 200 } : importOk(r)));
    try {
      const file = path.join(dashboardsDir, 'login.ndjson');
      expect(await main(['--file', file], { ...quiet, DASHBOARDS_URL: server.url })).toBe(0);
      const imports = server.received.filter((r) => r.method === 'POST');
      expect(imports).toHaveLength(1);
      expect(imports[0]!.headers.authorization).toBeUndefined();
    } finally {
      await server.close();
    }
  });

  it('fails, naming each object Dashboards rejected and why', async () => {
    const server = await fakeDashboards((r) =>
      r.url === '/api/status'
        ? { status: 200 }
        : {
            status: 200,
            body: {
              success: false,
              successCount: 12,
              errors: [{ id: 'streamdex-login-map', type: 'visualization', title: 'Logins · where from', error: { type: 'missing_references', references: [{ type: 'index-pattern', id: 'x' }] } }],
            },
          },
    );
    try {
      const code = await main(['--file', path.join(dashboardsDir, 'login.ndjson')], { ...quiet, DASHBOARDS_URL: server.url });
      expect(code).toBe(1);
      expect(stderr).toHaveBeenCalledWith(
        'dashboards-import: 1 of 1 file(s) failed\n  login.ndjson: visualization streamdex-login-map "Logins · where from": missing_references; missing index-pattern x\n',
      );
    } finally {
      await server.close();
    }
  });

  it('fails on an HTTP error of the import API, with the status in the message', async () => {
    const server = await fakeDashboards((r) => (r.url === '/api/status' ? { status: 200 } : { status: 400, body: { message: 'bad file' } }));
    try {
      const result = await new Dashboards({ DASHBOARDS_URL: server.url, DASHBOARDS_TENANT: '' }).importFile(path.join(dashboardsDir, 'login.ndjson'));
      expect(result.imported).toBe(0);
      expect(result.errors).toEqual([expect.stringMatching(/answered HTTP 400: .*bad file/)]);
      expect(server.received[0]!.headers.securitytenant).toBeUndefined();
    } finally {
      await server.close();
    }
  });

  it('waits while Dashboards answers 503, then goes on', async () => {
    let statusCalls = 0;
    const server = await fakeDashboards(() => ({ status: ++statusCalls < 3 ? 503 : 200 }));
    try {
      await new Dashboards({ DASHBOARDS_URL: server.url, DASHBOARDS_TENANT: 'global' }).waitUntilReady(10, createLogger('test', 'silent'), 20);
      expect(statusCalls).toBe(3);
    } finally {
      await server.close();
    }
  });

  it('gives up after DASHBOARDS_WAIT_SECONDS, naming the URL, the setting and the last answer', async () => {
    const server = await fakeDashboards(() => ({ status: 401 }));
    try {
      const wait = new Dashboards({ DASHBOARDS_URL: server.url, DASHBOARDS_TENANT: 'global' }).waitUntilReady(0, createLogger('test', 'silent'));
      await expect(wait).rejects.toThrow(`Dashboards at ${server.url}/api/status was not ready within DASHBOARDS_WAIT_SECONDS=0; last answer: HTTP 401 (credentials refused: check OPENSEARCH_USERNAME and OPENSEARCH_PASSWORD)`);
    } finally {
      await server.close();
    }
  });

  it('exits 1 when Dashboards cannot be reached, saying which URL and why', async () => {
    const closed = await fakeDashboards(() => ({ status: 200 }));
    await closed.close(); // a port nobody listens on
    const code = await main([], { ...quiet, DASHBOARDS_URL: closed.url, DASHBOARDS_WAIT_SECONDS: '0' });
    expect(code).toBe(1);
    expect(stderr).toHaveBeenCalledWith(expect.stringContaining(`${closed.url}/api/status was not ready within DASHBOARDS_WAIT_SECONDS=0; last answer: fetch failed: connect ECONNREFUSED`));
  });

  it('with --dry-run contacts nothing and prints, per file, the objects it would import by type', async () => {
    const dashboards = await fakeDashboards(importOk);
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const code = await main(['--dry-run'], { ...quiet, DASHBOARDS_URL: dashboards.url });
      expect(code).toBe(0);
      expect(dashboards.received).toEqual([]);
      const lines = stdout.mock.calls.map(([l]) => JSON.parse(String(l)) as { file: string; objects: number; types: Record<string, number> });
      const files = listNdjson(dashboardsDir);
      expect(lines.map((l) => l.file)).toEqual(files.map((f) => path.basename(f)));
      files.forEach((f, i) => {
        const objects = readFileSync(f, 'utf8').split('\n').filter((l) => l.trim() !== '' && !l.includes('"exportedCount"'));
        expect(lines[i]!.objects).toBe(objects.length);
        expect(lines[i]!.types.dashboard).toBe(1);
        expect(Object.values(lines[i]!.types).reduce((a, b) => a + b, 0)).toBe(objects.length);
      });
    } finally {
      stdout.mockRestore();
      await dashboards.close();
    }
  });

  it('with --dry-run still fails on a broken file, naming its line', async () => {
    const broken = path.join(tmpdir(), `streamdex-broken-${process.pid}.ndjson`);
    writeFileSync(broken, '{"id":"a","type":"dashboard","attributes":{},"references":[]}\nnot json\n');
    try {
      expect(await main(['--dry-run', '--file', broken], quiet)).toBe(1);
      expect(stderr).toHaveBeenCalledWith(expect.stringContaining(`${broken}:2: not valid JSON`));
    } finally {
      rmSync(broken, { force: true });
    }
  });

  it('exits 2 on a bad setting or argument, naming it', async () => {
    expect(await main([], { ...quiet, DASHBOARDS_URL: 'not a url' })).toBe(2);
    expect(stderr).toHaveBeenCalledWith(expect.stringContaining('configuration error: DASHBOARDS_URL: must be a URL'));
    expect(await main(['--file', '/nonexistent.ndjson'], quiet)).toBe(2);
    expect(stderr).toHaveBeenCalledWith(expect.stringContaining('configuration error: --file: /nonexistent.ndjson does not exist'));
    expect(await main(['--everything'], quiet)).toBe(2);
  });
});
