/**
 * dashboards-import: loads the saved objects in this folder (*.ndjson: index patterns,
 * visualizations, dashboards) into OpenSearch Dashboards through its import API, replacing
 * earlier versions of the same objects. Run once per deployment; safe to run again.
 *
 *   node dist/dashboards/import.js               every dashboards/*.ndjson
 *   node dist/dashboards/import.js --file X      one file
 *   node dist/dashboards/import.js --dry-run     validate settings and files, print what
 *                                                would be imported, contact nothing
 *
 * Waits (DASHBOARDS_WAIT_SECONDS) for Dashboards to answer /api/status first. Exits 0 when
 * every object of every file was imported, 1 when anything failed, 2 on bad settings.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { envInt, loadConfig, openSearchPassword, serviceSettings } from '../pipeline/config';
import { ConfigError, errorMessage } from '../pipeline/errors';
import { createLogger, type Logger } from '../pipeline/logger';
import { parseNdjson } from './parseNdjson';

export const importSettings = z.object({
  DASHBOARDS_URL: z.url({ message: 'must be a URL such as http://127.0.0.1:5601' }).default('http://127.0.0.1:5601'),
  /** How long to wait for Dashboards to answer /api/status before giving up. */
  DASHBOARDS_WAIT_SECONDS: envInt(180, 0, 3600),
  /**
   * Tenant the objects go to when the security plugin's multi-tenancy is on; without it,
   * an admin's import lands in their private tenant, which nobody else sees. Ignored by
   * Dashboards without the security plugin.
   */
  DASHBOARDS_TENANT: z.string().default('global'),
  /** Basic auth, needed when the security plugin is on (same user as for OpenSearch). */
  OPENSEARCH_USERNAME: z.string().optional(),
  OPENSEARCH_PASSWORD: z.string().optional(),
  /** The password in a file (compose's and the secured stack's secrets), instead of OPENSEARCH_PASSWORD. */
  OPENSEARCH_PASSWORD_FILE: z.string().optional(),
  LOG_LEVEL: serviceSettings.LOG_LEVEL,
});
export type ImportSettings = z.infer<typeof importSettings>;

/** Where the saved objects are: beside dist/ in the image and a build, or beside this file when run from source. */
export function findDashboardsDir(): string {
  const candidates = [path.join(__dirname, '..', '..', 'dashboards'), __dirname];
  const found = candidates.find((dir) => existsSync(dir) && readdirSync(dir).some((f) => f.endsWith('.ndjson')));
  if (!found) throw new Error(`no *.ndjson saved objects in ${candidates.join(' or ')}`);
  return found;
}

export function listNdjson(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ndjson'))
    .sort()
    .map((f) => path.join(dir, f));
}

export interface FileResult {
  readonly file: string;
  readonly objects: number;
  readonly imported: number;
  readonly errors: string[];
}

/** What Dashboards answers to POST /api/saved_objects/_import. */
interface ImportResponse {
  success?: boolean;
  successCount?: number;
  errors?: Array<{ id?: string; type?: string; title?: string; error?: { type?: string; message?: string; references?: Array<{ type: string; id: string }> } }>;
}

export class Dashboards {
  private readonly base: string;
  private readonly headers: Record<string, string>;

  constructor(private readonly s: Pick<ImportSettings, 'DASHBOARDS_URL' | 'DASHBOARDS_TENANT' | 'OPENSEARCH_USERNAME' | 'OPENSEARCH_PASSWORD'>) {
    this.base = s.DASHBOARDS_URL.replace(/\/+$/, '');
    this.headers = { 'osd-xsrf': 'true' };
    if (s.DASHBOARDS_TENANT) this.headers.securitytenant = s.DASHBOARDS_TENANT;
    if (s.OPENSEARCH_USERNAME) {
      this.headers.authorization = `Basic ${Buffer.from(`${s.OPENSEARCH_USERNAME}:${s.OPENSEARCH_PASSWORD ?? ''}`).toString('base64')}`;
    }
  }

  /**
   * Polls /api/status until it answers 200 (Dashboards says 503 while it starts). 401 and
   * 403 are retried too: with the security plugin they also occur while OpenSearch is
   * still coming up; if they last, the final error points at the credentials.
   */
  async waitUntilReady(waitSeconds: number, logger: Logger, pollMs = 3000): Promise<void> {
    const url = `${this.base}/api/status`;
    const deadline = Date.now() + waitSeconds * 1000;
    for (let attempt = 1; ; attempt++) {
      let why: string;
      try {
        const res = await fetch(url, { headers: this.headers, signal: AbortSignal.timeout(10_000) });
        await res.body?.cancel();
        if (res.ok) return;
        why = `HTTP ${res.status}`;
        if (res.status === 401 || res.status === 403) why += ' (credentials refused: check OPENSEARCH_USERNAME and OPENSEARCH_PASSWORD)';
      } catch (err) {
        why = causeOf(err);
      }
      if (Date.now() + pollMs > deadline) {
        throw new Error(`Dashboards at ${url} was not ready within DASHBOARDS_WAIT_SECONDS=${waitSeconds}; last answer: ${why}. Check DASHBOARDS_URL`);
      }
      logger.info({ url, attempt, answer: why }, 'waiting for Dashboards');
      await sleep(pollMs);
    }
  }

  /** Imports one ndjson file, overwriting objects with the same type and id. */
  async importFile(file: string): Promise<FileResult> {
    const text = readFileSync(file, 'utf8');
    const objects = parseNdjson(text, file).length; // a broken file fails here, naming the line
    const form = new FormData();
    form.append('file', new Blob([text], { type: 'application/ndjson' }), path.basename(file));
    const url = `${this.base}/api/saved_objects/_import?overwrite=true`;
    let res: Response;
    try {
      res = await fetch(url, { method: 'POST', headers: this.headers, body: form, signal: AbortSignal.timeout(60_000) });
    } catch (err) {
      return { file, objects, imported: 0, errors: [`POST ${url} failed: ${causeOf(err)}`] };
    }
    const body = await res.text();
    if (!res.ok) return { file, objects, imported: 0, errors: [`POST ${url} answered HTTP ${res.status}: ${body.slice(0, 500)}`] };
    let parsed: ImportResponse;
    try {
      parsed = JSON.parse(body) as ImportResponse;
    } catch {
      return { file, objects, imported: 0, errors: [`POST ${url} answered something that is not JSON: ${body.slice(0, 200)}`] };
    }
    const errors = (parsed.errors ?? []).map(describeImportError);
    if (parsed.success === false && errors.length === 0) errors.push('Dashboards reported failure without details');
    return { file, objects, imported: parsed.successCount ?? 0, errors };
  }
}

function describeImportError(e: NonNullable<ImportResponse['errors']>[number]): string {
  const what = `${e.type ?? 'object'} ${e.id ?? '?'}${e.title ? ` "${e.title}"` : ''}`;
  const missing = e.error?.references?.map((r) => `${r.type} ${r.id}`).join(', ');
  return `${what}: ${e.error?.type ?? 'error'}${e.error?.message ? ` (${e.error.message})` : ''}${missing ? `; missing ${missing}` : ''}`;
}

/** fetch() throws "fetch failed" and keeps the reason (ECONNREFUSED, ...) in `cause`. */
function causeOf(err: unknown): string {
  const text = (e: unknown) => (typeof (e as Error)?.message === 'string' ? (e as Error).message : String(e));
  const cause = (err as { cause?: unknown })?.cause;
  return cause ? `${text(err)}: ${text(cause)}` : text(err);
}

export function parseArgs(argv: readonly string[]): { file?: string; dryRun: boolean } {
  const dryRun = argv.includes('--dry-run');
  const rest = argv.filter((a) => a !== '--dry-run');
  if (rest.length === 0) return { dryRun };
  if (rest[0] === '--file' && rest[1] && rest.length === 2) return { file: path.resolve(rest[1]), dryRun };
  throw new ConfigError('arguments', `expected no arguments, "--file PATH" and/or "--dry-run", got: ${argv.join(' ')}`);
}

/** What an import would load, per file and object type; a broken file throws, naming the line. */
export function describeFiles(files: readonly string[]): Array<{ file: string; objects: number; types: Record<string, number> }> {
  return files.map((file) => {
    const types: Record<string, number> = {};
    const objects = parseNdjson(readFileSync(file, 'utf8'), file);
    for (const o of objects) types[String(o.type)] = (types[String(o.type)] ?? 0) + 1;
    return { file: path.basename(file), objects: objects.length, types };
  });
}

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const logger = createLogger('dashboards-import', 'info'); // level from LOG_LEVEL once validated
  try {
    const s = loadConfig(importSettings, env);
    logger.level = s.LOG_LEVEL;
    const args = parseArgs(argv);
    const files = args.file ? [args.file] : listNdjson(findDashboardsDir());
    for (const f of files) if (!existsSync(f)) throw new ConfigError('--file', `${f} does not exist`);

    if (args.dryRun) {
      const planned = describeFiles(files);
      for (const p of planned) process.stdout.write(`${JSON.stringify({ dryRun: true, url: s.DASHBOARDS_URL, tenant: s.DASHBOARDS_TENANT, ...p })}\n`);
      logger.info({ files: planned.length, objects: planned.reduce((n, p) => n + p.objects, 0) }, 'dry run: nothing imported');
      return 0;
    }

    const dashboards = new Dashboards({ ...s, OPENSEARCH_PASSWORD: openSearchPassword(s) });
    logger.info({ url: s.DASHBOARDS_URL, files: files.map((f) => path.basename(f)) }, 'importing saved objects');
    await dashboards.waitUntilReady(s.DASHBOARDS_WAIT_SECONDS, logger);

    const failures: string[] = [];
    for (const file of files) {
      const r = await dashboards.importFile(file);
      const summary = { file: path.basename(file), objects: r.objects, imported: r.imported };
      if (r.errors.length === 0 && r.imported === r.objects) {
        logger.info(summary, 'imported');
      } else {
        const why = r.errors.join('; ') || `only ${r.imported} of ${r.objects} objects imported`;
        failures.push(`${path.basename(file)}: ${why}`);
        logger.error({ ...summary, errors: r.errors }, `import of ${path.basename(file)} failed`);
      }
    }
    if (failures.length > 0) {
      process.stderr.write(`dashboards-import: ${failures.length} of ${files.length} file(s) failed\n${failures.map((f) => `  ${f}\n`).join('')}`);
      return 1;
    }
    logger.info({ files: files.length }, 'all saved objects imported');
    return 0;
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`configuration error: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`dashboards-import failed: ${errorMessage(err)}\n`);
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}
