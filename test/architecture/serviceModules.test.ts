/**
 * What each service loads, from its main module's compiled import graph (type-only
 * imports dropped, as in dist/): the processor and the indexer load neither faker nor the
 * traffic simulators, and the indexer no enrichment (the GeoLite table's ~40 MiB, ua-parser-js).
 * The processor reads geoip-lite's data files into its own table (pipeline/enrich/geoTable.ts)
 * and never loads geoip-lite itself, which would hold the files whole (~110 MiB).
 * serviceModules.int.test.ts checks the same on the built dist/ through require.cache.
 */
import { loadedBy } from './importGraph';

const fromProducer = (files: Set<string>) => [...files].filter((f) => f.startsWith('producer/'));

describe('consumer-processor/src/main.ts', () => {
  const { files, packages } = loadedBy('consumer-processor/src/main.ts');

  it('loads the chains it processes, with their enrichment', () => {
    expect(files).toContain('pipeline/chains/music/processing.ts');
    expect(files).toContain('pipeline/enrich/geoTable.ts');
    expect(packages).not.toContain('geoip-lite');
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
    expect(files).not.toContain('pipeline/enrich/geoTable.ts');
    expect(fromProducer(files)).toEqual([]);
    expect([...files].filter((f) => f.startsWith('pipeline/enrich/') || /\/(schema|enrich|processing)\.ts$/.test(f))).toEqual([]);
  });
});
