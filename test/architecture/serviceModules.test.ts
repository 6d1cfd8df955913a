/**
 * What each service loads, from its main module's compiled import graph (type-only
 * imports dropped, as in dist/): the processor and the indexer load neither faker nor the
 * traffic simulators, and the indexer no enrichment (geoip-lite's ~110 MiB, ua-parser-js).
 * serviceModules.int.test.ts checks the same on the built dist/ through require.cache.
 */
import { loadedBy } from './importGraph';

const fromProducer = (files: Set<string>) => [...files].filter((f) => f.startsWith('producer/'));

describe('consumer-processor/src/main.ts', () => {
  const { files, packages } = loadedBy('consumer-processor/src/main.ts');

  it('loads the chains it processes, with their enrichment', () => {
    expect(files).toContain('pipeline/chains/music/processing.ts');
    expect(packages).toContain('geoip-lite');
    expect(packages).toContain('ua-parser-js');
  });

  it('loads no generator: no faker, nothing from producer/', () => {
    expect(packages).not.toContain('@faker-js/faker');
    expect(fromProducer(files)).toEqual([]);
  });
});

describe('consumer-indexer/src/main.ts', () => {
  const { files, packages } = loadedBy('consumer-indexer/src/main.ts');

  it('loads the index facets and the OpenSearch client', () => {
    expect(files).toContain('pipeline/chains/music/indexing.ts');
    expect(packages).toContain('@opensearch-project/opensearch');
  });

  it('loads no generator, no schema and no enrichment', () => {
    expect(packages).not.toContain('@faker-js/faker');
    expect(packages).not.toContain('geoip-lite');
    expect(packages).not.toContain('ua-parser-js');
    expect(fromProducer(files)).toEqual([]);
    expect([...files].filter((f) => f.startsWith('pipeline/enrich/') || /\/(schema|enrich|processing)\.ts$/.test(f))).toEqual([]);
  });
});

describe('consumer-analytics/src/main.ts', () => {
  const { files, packages } = loadedBy('consumer-analytics/src/main.ts');

  it('loads the analytics facets and the windowing core', () => {
    expect(files).toContain('pipeline/chains/login/analytics.ts');
    expect(files).toContain('pipeline/analytics/partitionWindows.ts');
  });

  it('loads no generator, no schema and no enrichment', () => {
    expect(packages).not.toContain('@faker-js/faker');
    expect(packages).not.toContain('geoip-lite');
    expect(fromProducer(files)).toEqual([]);
    expect([...files].filter((f) => f.startsWith('pipeline/enrich/') || /\/(schema|enrich|processing)\.ts$/.test(f))).toEqual([]);
  });
});
