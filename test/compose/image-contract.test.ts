/**
 * The contract between docker-compose.yml / Dockerfile and the TypeScript code: every
 * container runs a script that `npm run build` produces, and the saved objects the image
 * copies exist. These fail while a service's entrypoint has not been written yet, which
 * is the point: `docker compose up` would fail the same way, only later.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { commandOf, repoRoot, services } from './composeFile';

describe('the Streamdex image and the code it runs', () => {
  it('runs in every container a script that the TypeScript build compiles from a source in this repository', () => {
    const missing: string[] = [];
    for (const [name, svc] of services.filter(([, s]) => s.build !== undefined)) {
      const script = commandOf(svc).find((arg) => arg.startsWith('dist/'));
      if (!script) {
        missing.push(`${name}: its command runs nothing under dist/`);
        continue;
      }
      // tsc's rootDir is the repository root, so dist/a/b.js is compiled from a/b.ts.
      const source = path.join(repoRoot, script.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
      if (!existsSync(source)) missing.push(`${name}: ${path.relative(repoRoot, source)} does not exist`);
    }
    expect(missing).toEqual([]);
  });

  it('has saved objects in dashboards/*.ndjson for the image to copy and dashboards-import to load', () => {
    const dir = path.join(repoRoot, 'dashboards');
    const ndjson = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.ndjson')) : [];
    expect(ndjson).not.toEqual([]);
  });
});
