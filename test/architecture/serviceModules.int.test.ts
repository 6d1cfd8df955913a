/**
 * The built services, as node loads them: require each main module of dist/ in a fresh
 * node (requiring is side-effect free, start-up runs only under `require.main === module`)
 * and list the modules in its require.cache. Needs `npm run build` (npm test builds first).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './importGraph';

function loadedModules(main: string): string[] {
  const file = path.join(repoRoot, 'dist', main);
  if (!existsSync(file)) throw new Error(`${path.relative(repoRoot, file)} is missing: run \`npm run build\` first`);
  const script = `require(${JSON.stringify(file)}); process.stdout.write(JSON.stringify(Object.keys(require.cache))); process.exit(0);`;
  const out = execFileSync(process.execPath, ['-e', script], { cwd: repoRoot, encoding: 'utf8' });
  return (JSON.parse(out) as string[]).map((f) => path.relative(repoRoot, f).split(path.sep).join('/'));
}

// node_modules may be a symlink, and require.cache holds real paths: match the package by its folder.
const fromPackage = (m: string, name: string) => m.includes(`node_modules/${name}/`);
const packageLoaded = (modules: readonly string[], name: string) => modules.some((m) => fromPackage(m, name));

describe('the built consumer-processor', () => {
  const modules = loadedModules('consumer-processor/src/main.js');

  it('loads its chains and their enrichment (its own GeoLite table, ua-parser-js)', () => {
    expect(modules).toContain('dist/pipeline/chains/music/processing.js');
    expect(modules).toContain('dist/pipeline/enrich/geoTable.js');
    expect(packageLoaded(modules, 'ua-parser-js')).toBe(true);
  });

  it('reads geoip-lite\'s data files without loading its module, which holds them whole', () => {
    expect(packageLoaded(modules, 'geoip-lite')).toBe(false);
  });

  it('loads neither faker nor any producer module', () => {
    expect(modules.filter((m) => fromPackage(m, '@faker-js/faker') || m.startsWith('dist/producer/'))).toEqual([]);
  });
});

describe('the built consumer-indexer', () => {
  const modules = loadedModules('consumer-indexer/src/main.js');

  it('loads the index facets and the OpenSearch client', () => {
    expect(modules).toContain('dist/pipeline/chains/music/indexing.js');
    expect(packageLoaded(modules, '@opensearch-project/opensearch')).toBe(true);
  });

  it('loads neither faker, geoip-lite, ua-parser-js nor any producer or enrichment module', () => {
    const unwanted = modules.filter(
      (m) => ['@faker-js/faker', 'geoip-lite', 'ua-parser-js'].some((name) => fromPackage(m, name)) || m.startsWith('dist/producer/') || m.startsWith('dist/pipeline/enrich/'),
    );
    expect(unwanted).toEqual([]);
  });
});
