import { ANALYTICS_INDEXING, selectAnalyticsIndexing } from '../../../pipeline/chains/analyticsIndexing';
import { INDEXING } from '../../../pipeline/chains/indexing';

describe('the analytics index facets', () => {
  it('read the namespaced aggregates and alerts topics into namespaced aliases', () => {
    const facets = selectAnalyticsIndexing(['login'], 'x-');
    expect(facets.map((f) => [f.name, f.topics.output, f.topics.deadLetter, f.index.alias, f.index.templateName])).toEqual([
      ['login', 'x-analytics-login-aggregates', 'x-analytics-dlq', 'x-streamdex-agg-login', 'x-streamdex-agg-login'],
      ['alerts', 'x-analytics-alerts', 'x-analytics-dlq', 'x-streamdex-alerts', 'x-streamdex-alerts'],
    ]);
    expect((facets[0]!.index.template as { index_patterns: string[] }).index_patterns).toEqual(['x-streamdex-agg-login-*']);
  });

  it('have strict templates whose patterns match no chain index (templates of equal priority must not overlap)', () => {
    const patterns = [...INDEXING, ...ANALYTICS_INDEXING].map((f) => (f.index.template as { index_patterns: string[] }).index_patterns[0]!);
    for (const f of [...INDEXING, ...ANALYTICS_INDEXING]) {
      const matching = patterns.filter((p) => new RegExp(`^${p.replace(/[.]/g, '\\.').replace('*', '.*')}$`).test(f.index.initialIndex));
      expect([f.index.initialIndex, matching]).toEqual([f.index.initialIndex, [`${f.index.alias}-*`]]);
    }
    for (const f of ANALYTICS_INDEXING) expect((f.index.template as { template: { mappings: { dynamic: string } } }).template.mappings.dynamic).toBe('strict');
  });

  it('pass over a chain without an analytics facet, so one CHAINS list serves every service, and still refuse a name no chain has', () => {
    expect(selectAnalyticsIndexing(['login', 'profiles']).map((f) => f.name)).toEqual(['login', 'alerts']);
    expect(selectAnalyticsIndexing(['profiles']).map((f) => f.name)).toEqual(['alerts']);
    expect(() => selectAnalyticsIndexing(['login', 'nosuch'])).toThrow(/CHAINS.*unknown chain "nosuch"/);
  });
});
