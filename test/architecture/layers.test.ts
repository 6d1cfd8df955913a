/**
 * Dependencies inside pipeline/ point one way: chains build on core, enrich, opensearch;
 * core, kafka, opensearch, enrich, retry and config know no chain; core stays pure (no
 * other pipeline module, no I/O package); nothing in pipeline/ reaches into the apps
 * (producer, consumers, dashboards, bench, fault) or the tests. Type-only imports count:
 * a type is a dependency too.
 */
import { declaredImports, tsFilesUnder, type ImportEdge } from './importGraph';

/** The pipeline module a file belongs to: its folder under pipeline/, or its own name. */
function moduleOf(file: string): string {
  const [, first, second] = file.split('/');
  return second === undefined ? first!.replace(/\.ts$/, '') : first!;
}

const NO_CHAINS = ['core', 'kafka', 'opensearch', 'enrich', 'retry', 'config', 'analytics'];
/** Packages that do I/O or hold process state; core's decisions must not depend on them. */
const IO_PACKAGES = ['@confluentinc/kafka-javascript', '@opensearch-project/opensearch', 'geoip-lite', 'pino', 'prom-client', 'ua-parser-js'];

/** Why an edge is forbidden, or undefined when it is allowed. */
function forbidden(e: ImportEdge): string | undefined {
  const from = moduleOf(e.from);
  if (e.isPackage) return from === 'core' && IO_PACKAGES.includes(e.target) ? `core must stay free of I/O (${e.target})` : undefined;
  if (!e.target.startsWith('pipeline/')) return `pipeline/ must not import ${e.target.split('/')[0]}/`;
  const to = moduleOf(e.target);
  if (from === to) return undefined;
  if (from === 'core') return `core must not import pipeline/${to}`;
  if (to === 'chains' && NO_CHAINS.includes(from)) return `${from} must know no chain`;
  return undefined;
}

const files = tsFilesUnder('pipeline');
const graph = files.flatMap(declaredImports);

describe('the import graph of pipeline/', () => {
  it('is read from every source file, relative imports resolved', () => {
    expect(files.length).toBeGreaterThan(40);
    expect(graph).toContainEqual(expect.objectContaining({ from: 'pipeline/core/processRecord.ts', target: 'pipeline/core/decode.ts' }));
    expect(graph).toContainEqual(expect.objectContaining({ from: 'pipeline/chains/login/enrich.ts', target: 'pipeline/enrich/index.ts' }));
  });

  it('has no forbidden arrow', () => {
    const violations = graph.flatMap((e) => {
      const why = forbidden(e);
      return why ? [`${e.from} imports '${e.specifier}': ${why}`] : [];
    });
    expect(violations).toEqual([]);
  });
});

describe('the layer rules', () => {
  const edge = (from: string, target: string): ImportEdge => ({ from, specifier: target, target, isPackage: !target.includes('/') || target.startsWith('@') });
  it.each([
    ['pipeline/core/processRecord.ts', 'pipeline/chains/types.ts', 'core must not import pipeline/chains'],
    ['pipeline/core/types.ts', 'pipeline/enrich/ip.ts', 'core must not import pipeline/enrich'],
    ['pipeline/core/decode.ts', 'pino', 'core must stay free of I/O (pino)'],
    ['pipeline/enrich/ip.ts', 'pipeline/chains/types.ts', 'enrich must know no chain'],
    ['pipeline/opensearch/indices.ts', 'pipeline/chains/mappings.ts', 'opensearch must know no chain'],
    ['pipeline/chains/music/generator.ts', 'producer/src/generators/music/index.ts', 'pipeline/ must not import producer/'],
    ['pipeline/errors.ts', 'consumer-processor/src/options.ts', 'pipeline/ must not import consumer-processor/'],
  ])('forbid %s -> %s', (from, target, why) => {
    expect(forbidden(edge(from, target))).toBe(why);
  });

  it.each([
    ['pipeline/chains/types.ts', 'pipeline/core/index.ts'],
    ['pipeline/chains/mappings.ts', 'pipeline/opensearch/index.ts'],
    ['pipeline/kafka/consumer.ts', 'pipeline/core/types.ts'],
    ['pipeline/admin/main.ts', 'pipeline/chains/topics.ts'],
    ['pipeline/core/filters.ts', 'zod'],
  ])('allow %s -> %s', (from, target) => {
    expect(forbidden(edge(from, target))).toBeUndefined();
  });
});
