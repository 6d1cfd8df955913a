/**
 * ./streamdex's local mode end to end, in a stand-in repository: stand-in scripts for the
 * services of a stand-in services.json, and a stack/stack and build that only report.
 * Shows that up runs the jobs, then starts the services with their arguments, settings
 * and metrics ports, that status sees them and that down stops them with SIGTERM.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './composeFile';

const root = mkdtempSync(path.join(os.tmpdir(), 'streamdex-local-'));
const write = (file: string, text: string, mode = 0o644) => {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), text, { mode });
};

beforeAll(() => {
  copyFileSync(path.join(repoRoot, 'streamdex'), path.join(root, 'streamdex'));
  write('scripts/node-env.sh', readFileSync(path.join(repoRoot, 'scripts', 'node-env.sh'), 'utf8'));
  write('package.json', JSON.stringify({ name: 'stand-in', version: '0.0.0', scripts: { build: 'true' } }));
  write('package-lock.json', '{}');
  write('node_modules/.package-lock.json', '{}');
  // Installed after the lock file was written, so up does not install.
  utimesSync(path.join(root, 'package-lock.json'), new Date(0), new Date(0));
  write('stack/stack', '#!/bin/sh\necho "stack $*"\n', 0o755);
  write('dist/job.js', "console.log('job', process.argv.slice(2).join(' '), process.env.X);\n");
  write(
    'dist/service.js',
    "console.log('service', process.execArgv.join(' '), process.argv.slice(2).join(' '), process.env.METRICS_PORT, process.env.X, process.env.Y);\n" +
      "process.on('SIGTERM', () => { console.log('SIGTERM'); process.exit(0); });\nsetInterval(() => {}, 1000);\n",
  );
  write(
    'services.json',
    JSON.stringify({
      $comment: '',
      node: { args: ['--stack-size=900'], env: { Y: 'r' } },
      services: [
        { name: 'job', compose: 'job', run: 'once', local: true, script: 'dist/job.js', args: ['a'], env: { X: '1' } },
        { name: 'remote', compose: 'remote', run: 'once', local: false, script: 'dist/job.js', args: ['never'], env: {} },
        { name: 'svc', compose: 'svc', run: 'always', local: true, script: 'dist/service.js', args: ['--k', 'v'], metricsPort: 19_464, env: { X: '2' } },
      ],
    }),
  );
});

afterAll(() => {
  streamdex('down');
  rmSync(root, { recursive: true, force: true });
});

function streamdex(command: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, STREAMDEX_MODE: 'local' };
  delete env.X;
  const result = spawnSync('bash', [path.join(root, 'streamdex'), command], { cwd: root, encoding: 'utf8', env, timeout: 60_000 });
  if (result.error) throw result.error;
  return result;
}

const serviceLog = () => readFileSync(path.join(root, '.stack', 'services', 'svc.log'), 'utf8');

describe('./streamdex in local mode', () => {
  it('runs the local jobs, then starts the services, and status sees them; down stops them with SIGTERM', () => {
    const up = streamdex('up');
    expect(up.status).toBe(0);
    expect(up.stdout.split('\n').slice(0, 2)).toEqual(['stack up', 'job a 1']);
    expect(up.stderr).toMatch(/^streamdex: svc started \(pid \d+, log \.stack\/services\/svc\.log, metrics http:\/\/127\.0\.0\.1:19464\/metrics\)$/m);

    expect(streamdex('up').stderr).toMatch(/^streamdex: svc already running \(pid \d+\)$/m);
    expect(streamdex('status').stdout.split('\n')[0]).toMatch(/^svc: running \(pid \d+\)$/);

    const down = streamdex('down');
    expect(down.stderr).toContain('streamdex: svc stopped');
    expect(streamdex('status').stdout.split('\n')[0]).toBe('svc: stopped');
    expect(serviceLog()).toBe('service --stack-size=900 --k v 19464 2 r\nSIGTERM\n');
  });
});
