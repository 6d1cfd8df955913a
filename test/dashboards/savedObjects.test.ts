/**
 * The saved objects in dashboards/*.ndjson, checked without a Dashboards server: every
 * chain in the registry has its file, the file is a well-formed export whose references
 * resolve, and every aggregation reads a field the chain's index template maps with a
 * type that aggregation accepts. The second half proves the checks catch what they claim.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { AnalyticsOutput, ANALYTICS_DASHBOARDS, DASHBOARD_FILES, DASHBOARDS, PIPELINE_DASHBOARDS } from '../../dashboards/chains';
import { listNdjson } from '../../dashboards/import';
import { deadLetterIndex } from '../../pipeline/chains/deadLetterIndex';
import { INDEXING } from '../../pipeline/chains/indexing';
import { healthIndex } from '../../pipeline/health';
import {
  aggsFromVisState,
  checkAgentClasses,
  checkReadability,
  checkResponse,
  dashboardCoverage,
  indexFields,
  kqlFields,
  kqlToDsl,
  mappingFields,
  parseKuery,
  parseVisState,
  queryingVisualizations,
  toSearchBody,
  validateSavedObjects,
} from './oracles';
import { parseNdjson } from '../../dashboards/parseNdjson';
import type { SavedObject } from '../../dashboards/types';

const dashboardsDir = path.resolve(__dirname, '..', '..', 'dashboards');
/** Each dashboard (a chain's, its window aggregates', the alerts') with the index it is checked against; the health dashboard has its own checks below. */
const pipelineFiles = new Set(PIPELINE_DASHBOARDS.map((d) => d.file));
const CHAINS = DASHBOARD_FILES.filter((d) => !pipelineFiles.has(d.file)).map((d) => ({ name: d.name, dashboard: d.file, index: d.index }));
const chainNames = new Set<string>(DASHBOARDS.map((d) => d.name));
/** Every chain's dashboard also shows the chain's dead letters, from the one dead-letter index. */
const DEAD_LETTERS = { fields: indexFields(deadLetterIndex), alias: deadLetterIndex.alias, timeField: deadLetterIndex.timeField };
const others = new Map([[deadLetterIndex.alias, DEAD_LETTERS]]);

it('the dashboard registry names exactly the saved-objects files dashboards-import loads', () => {
  expect(listNdjson(dashboardsDir).map((f) => path.basename(f))).toEqual(DASHBOARD_FILES.map((d) => d.file).sort());
});

describe('the pipeline health dashboard', () => {
  const file = path.join(dashboardsDir, 'health.ndjson');
  const load = (): SavedObject[] => parseNdjson(readFileSync(file, 'utf8'), file);
  const health = healthIndex();
  /** Fields every chain index maps alike: what a panel over all chains' aliases may use. */
  const chainFields = (() => {
    const [first, ...rest] = INDEXING.map((c) => indexFields(c.index));
    return new Map([...first!].filter(([name, f]) => rest.every((o) => o.get(name)?.type === f.type)));
  })();
  const allChains = INDEXING.map((c) => c.index.alias).join(',');
  const target = { fields: indexFields(health), alias: `${health.prefix}-*`, timeField: health.timeField, others: new Map([[allChains, { fields: chainFields, alias: allChains, timeField: 'indexed_at' }]]) };

  it('passes every check against the health index template (and the chains’ common fields for latency)', () => {
    expect(validateSavedObjects(load(), target)).toEqual([]);
  });

  it('reads well: line charts show empty intervals as zeros', () => {
    expect(checkReadability(load())).toEqual([]);
  });

  it('reads the day indices of health records and, for latency, every chain’s alias', () => {
    expect(load().filter((o) => o.type === 'index-pattern').map((p) => [p.attributes.title, p.attributes.timeFieldName])).toEqual([
      [`${health.prefix}-*`, 'sampled_at'],
      [allChains, 'indexed_at'],
    ]);
  });

  it('has one dashboard showing every panel the issue asks for', () => {
    const objects = load();
    expect(objects.filter((o) => o.type === 'dashboard')).toHaveLength(1);
    expect(dashboardCoverage(objects).notOnAnyDashboard).toEqual([]);
    const titles = objects.filter((o) => o.type === 'visualization').map((o) => String(o.attributes.title));
    for (const wanted of [/last seen/, /by stage and outcome/, /per stage and chain/, /lag per group/, /dead-letter rate/, /latency \(p50, p95, p99\)/, /retries by cause \(429/, /memory/]) {
      expect(titles).toContainEqual(expect.stringMatching(wanted));
    }
  });
});

describe.each(CHAINS.map((chain) => [chain.name, chain] as const))('the %s dashboard', (_name, chain) => {
  const file = path.join(dashboardsDir, chain.dashboard);
  const load = (): SavedObject[] => parseNdjson(readFileSync(file, 'utf8'), file);
  const fields = indexFields(chain.index);

  it(`exists as dashboards/${chain.dashboard}`, () => {
    expect(existsSync(file)).toBe(true);
  });

  it('has one saved object per line, each valid JSON with an id, a type, attributes and references', () => {
    const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '');
    expect(load()).toHaveLength(lines.length);
  });

  it('passes every check: unique ids, references that resolve, fields the index template maps with aggregatable types', () => {
    expect(validateSavedObjects(load(), { fields, alias: chain.index.alias, timeField: chain.index.timeField, others })).toEqual([]);
  });

  it('reads well: line charts show empty intervals as zeros, donuts keep their labels inside the panel', () => {
    expect(checkReadability(load())).toEqual([]);
  });

  it('keeps bots and tools apart from people on every device and browser panel', () => {
    expect(checkAgentClasses(load())).toEqual([]);
  });

  it("has its own index pattern with its time field and, on a chain's dashboard, the dead-letter alias", () => {
    const patterns = load().filter((o) => o.type === 'index-pattern');
    const own = [chain.index.alias, chain.index.timeField];
    expect(patterns.map((p) => [p.attributes.title, p.attributes.timeFieldName])).toEqual(chainNames.has(chain.name) ? [own, [deadLetterIndex.alias, deadLetterIndex.timeField]] : [own]);
  });

  if (chainNames.has(chain.name)) it("shows the chain's dead letters: over time by code, top reasons, top fields, the latest with the command to read them back", () => {
    const deadLetterPanels = queryingVisualizations(load()).filter(({ object }) => object.references.some((r) => r.id === deadLetterIndex.alias));
    const fieldsOf = (vis: (typeof deadLetterPanels)[number]['vis']) => vis.aggs.map((a) => a.params?.field).filter(Boolean);
    expect(deadLetterPanels.map(({ vis }) => fieldsOf(vis))).toEqual([
      ['failed_at', 'code'],
      ['reason', 'code', 'stage'],
      ['field', 'code'],
      ['failed_at', 'read_command', 'code', 'source.topic', 'source.partition', 'source.offset'],
    ]);
    for (const { object } of deadLetterPanels) {
      const meta = object.attributes.kibanaSavedObjectMeta as { searchSourceJSON: string };
      expect((JSON.parse(meta.searchSourceJSON) as { query: { query: string } }).query.query).toBe(`chain : "${chain.name}"`);
    }
    expect(load().some((o) => JSON.stringify(o.attributes).includes('not in OpenSearch'))).toBe(false);
  });

  it('has one dashboard, and it shows every visualization of the file', () => {
    const objects = load();
    expect(objects.filter((o) => o.type === 'dashboard')).toHaveLength(1);
    expect(objects.filter((o) => o.type === 'visualization').length).toBeGreaterThan(0);
    expect(dashboardCoverage(objects).notOnAnyDashboard).toEqual([]);
  });

  it('turns every visualization with aggregations into an OpenSearch search body', () => {
    const bodies = queryingVisualizations(load()).map(({ object }) => toSearchBody(object, { timeField: chain.index.timeField }));
    expect(bodies.length).toBeGreaterThan(0);
    for (const body of bodies) expect(Object.keys(body.aggs as object).length).toBeGreaterThan(0);
  });
});

describe.each(ANALYTICS_DASHBOARDS.filter((d) => d.shows === AnalyticsOutput.AGGREGATES).map((d) => [d.name, d] as const))('the %s dashboard', (_name, d) => {
  it('has every panel read one window size and one dimension, so no event is counted twice', () => {
    const objects = parseNdjson(readFileSync(path.join(dashboardsDir, d.file), 'utf8'));
    const panels = queryingVisualizations(objects);
    expect(panels.length).toBeGreaterThan(0);
    for (const { object } of panels) {
      const source = JSON.parse((object.attributes.kibanaSavedObjectMeta as { searchSourceJSON: string }).searchSourceJSON) as { query: { query: string } };
      const fields = kqlFields(parseKuery(source.query.query));
      expect([object.id, fields.includes('window.size_seconds'), fields.includes('dimension')]).toEqual([object.id, true, true]);
    }
  });
});

describe('the saved-objects checks', () => {
  const fields = mappingFields({
    properties: {
      user_id: { type: 'keyword' },
      message: { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } },
      event_time: { type: 'date' },
      count: { type: 'integer' },
      geo: { properties: { location: { type: 'geo_point' }, country: { type: 'keyword' } } },
      raw: { type: 'keyword', doc_values: false },
    },
  });
  const target = { fields, alias: 'events', timeField: 'event_time' };

  const indexPattern: SavedObject = {
    id: 'events',
    type: 'index-pattern',
    attributes: { title: 'events', timeFieldName: 'event_time' },
    references: [],
  };
  const visualization = (id: string, aggs: unknown[], references = [{ id: 'events', name: 'kibanaSavedObjectMeta.searchSourceJSON.index', type: 'index-pattern' }]): SavedObject => ({
    id,
    type: 'visualization',
    attributes: {
      title: id,
      visState: JSON.stringify({ title: id, type: 'histogram', params: {}, aggs }),
      uiStateJSON: '{}',
      kibanaSavedObjectMeta: {
        searchSourceJSON: JSON.stringify({ query: { query: '', language: 'kuery' }, filter: [], indexRefName: 'kibanaSavedObjectMeta.searchSourceJSON.index' }),
      },
    },
    references,
  });
  const count = { id: '1', enabled: true, type: 'count', schema: 'metric', params: {} };
  const termsOn = (field: string) => ({ id: '2', enabled: true, type: 'terms', schema: 'segment', params: { field, size: 5, orderBy: '1', order: 'desc' } });
  const dashboard = (visIds: string[]): SavedObject => ({
    id: 'board',
    type: 'dashboard',
    attributes: {
      title: 'Board',
      panelsJSON: JSON.stringify(
        visIds.map((_, n) => ({ version: '7.10.0', panelIndex: String(n), gridData: { x: 0, y: n * 10, w: 24, h: 10, i: String(n) }, embeddableConfig: {}, panelRefName: `panel_${n}` })),
      ),
    },
    references: visIds.map((id, n) => ({ id, name: `panel_${n}`, type: 'visualization' })),
  });

  it('accept a well-formed set of objects', () => {
    expect(validateSavedObjects([indexPattern, visualization('by-user', [count, termsOn('user_id')]), dashboard(['by-user'])], target)).toEqual([]);
  });

  it('report a reference to an object that is not in the file', () => {
    const problems = validateSavedObjects([indexPattern, visualization('by-user', [count, termsOn('user_id')]), dashboard(['by-user', 'gone'])], target);
    expect(problems).toEqual([expect.stringMatching(/reference "panel_1" points at visualization "gone", which is not in the file/)]);
  });

  it('report a visualization whose index pattern is not in the file', () => {
    const vis = visualization('by-user', [count, termsOn('user_id')], [{ id: 'elsewhere', name: 'kibanaSavedObjectMeta.searchSourceJSON.index', type: 'index-pattern' }]);
    expect(validateSavedObjects([indexPattern, vis], target)).toContainEqual(expect.stringMatching(/index-pattern "elsewhere", which is not in the file/));
  });

  it('report an aggregation on a field the index template does not map', () => {
    const problems = validateSavedObjects([indexPattern, visualization('typo', [count, termsOn('user_id.keyword')])], target);
    expect(problems).toEqual([expect.stringMatching(/agg 2 \(terms\): field "user_id.keyword" is not in the index template/)]);
  });

  it('report a terms aggregation on a text field, but accept its keyword sub-field', () => {
    expect(validateSavedObjects([indexPattern, visualization('text', [count, termsOn('message')])], target)).toEqual([
      expect.stringMatching(/field "message" \(text\) cannot be aggregated/),
    ]);
    expect(validateSavedObjects([indexPattern, visualization('sub', [count, termsOn('message.keyword')])], target)).toEqual([]);
  });

  it('report a keyword field without doc values, which cannot be aggregated', () => {
    expect(validateSavedObjects([indexPattern, visualization('raw', [count, termsOn('raw')])], target)).toEqual([expect.stringMatching(/field "raw" \(keyword\) cannot be aggregated/)]);
  });

  it('report a field whose type the aggregation does not accept', () => {
    const histogram = { id: '2', enabled: true, type: 'date_histogram', schema: 'segment', params: { field: 'user_id', interval: 'auto' } };
    const grid = { id: '3', enabled: true, type: 'geohash_grid', schema: 'segment', params: { field: 'geo.country', precision: 3 } };
    const avg = { id: '4', enabled: true, type: 'avg', schema: 'metric', params: { field: 'event_time' } };
    const problems = validateSavedObjects([indexPattern, visualization('types', [count, histogram, grid, avg])], target);
    expect(problems).toEqual([
      expect.stringMatching(/agg 2 \(date_histogram\): field "user_id" is keyword; date_histogram needs date/),
      expect.stringMatching(/agg 3 \(geohash_grid\): field "geo.country" is keyword; geohash_grid needs geo_point/),
      expect.stringMatching(/agg 4 \(avg\): field "event_time" is date; avg needs long/),
    ]);
  });

  it('report a field in a filters aggregation that the index template does not map', () => {
    const filters = { id: '2', enabled: true, type: 'filters', schema: 'segment', params: { filters: [{ input: { query: 'geo.contry : "US"', language: 'kuery' }, label: 'US' }] } };
    expect(validateSavedObjects([indexPattern, visualization('filters', [count, filters])], target)).toEqual([expect.stringMatching(/field "geo.contry" is not in the index template/)]);
  });

  it('report two objects of one type with the same id', () => {
    const vis = visualization('by-user', [count, termsOn('user_id')]);
    expect(validateSavedObjects([indexPattern, vis, vis], target)).toContainEqual(expect.stringMatching(/duplicate id \(another visualization has id "by-user"\)/));
  });

  it('report an index pattern with another title or a time field that is not a date', () => {
    const wrong: SavedObject = { ...indexPattern, attributes: { title: 'events-*', timeFieldName: 'user_id' } };
    expect(validateSavedObjects([wrong], target)).toEqual([
      expect.stringMatching(/title "events-\*" is not the chain's alias "events"/),
      expect.stringMatching(/time field "user_id" is keyword, not a date/),
      expect.stringMatching(/time field "user_id" is not the chain's time field "event_time"/),
    ]);
  });

  it('report a terms aggregation ordered by an agg that does not exist', () => {
    const terms = { ...termsOn('user_id'), params: { field: 'user_id', orderBy: '9', size: 5 } };
    expect(validateSavedObjects([indexPattern, visualization('order', [count, terms])], target)).toEqual([expect.stringMatching(/orderBy "9" is not a metric agg/)]);
  });

  it('report overlapping dashboard panels and panels without a reference', () => {
    const board = dashboard(['a', 'b']);
    const panels = JSON.parse(board.attributes.panelsJSON as string) as Array<Record<string, unknown>>;
    panels[1]!.gridData = { x: 10, y: 5, w: 10, h: 10, i: '1' };
    panels[1]!.panelRefName = 'panel_7';
    const broken: SavedObject = { ...board, attributes: { ...board.attributes, panelsJSON: JSON.stringify(panels) } };
    const objects = [indexPattern, visualization('a', [count]), visualization('b', [count]), broken];
    expect(validateSavedObjects(objects, target)).toEqual([
      expect.stringMatching(/panel 1: panelRefName "panel_7" has no reference of that name/),
      expect.stringMatching(/panel 1: overlaps panel 0/),
      expect.stringMatching(/reference "panel_1" is not used by any panel/),
    ]);
  });

  it('name the line of a saved-objects file that is not JSON', () => {
    expect(() => parseNdjson('{"id":"a","type":"x","attributes":{},"references":[]}\n{"id": oops}\n', 'bad.ndjson')).toThrow(/bad\.ndjson:2: not valid JSON/);
  });

  it('skip the summary line an export ends with', () => {
    expect(parseNdjson('{"id":"a","type":"x","attributes":{},"references":[]}\n{"exportedCount":1,"missingRefCount":0,"missingReferences":[]}\n')).toHaveLength(1);
  });
});

describe('the readability check', () => {
  const vis = (type: string, aggs: unknown[], params: Record<string, unknown>): SavedObject => ({
    id: type,
    type: 'visualization',
    attributes: { title: type, visState: JSON.stringify({ type, params, aggs }) },
    references: [],
  });
  const series = [{ data: { label: 'Count', id: '1' }, interpolate: 'linear' }];
  const overTime = (minDocCount: unknown) => ({ id: '2', type: 'date_histogram', schema: 'segment', params: { field: 't', interval: 'auto', min_doc_count: minDocCount } });
  const byHour = (extra: Record<string, unknown>) => ({ id: '2', type: 'histogram', schema: 'segment', params: { field: 'h', interval: 1, ...extra } });
  const count = { id: '1', type: 'count', schema: 'metric', params: {} };

  it('accepts a line over time with empty intervals as zeros, an hourly line with bounds, and a donut without outside labels', () => {
    expect(
      checkReadability([
        vis('line', [count, overTime(0)], { seriesParams: series }),
        vis('area', [count, byHour({ min_doc_count: true, has_extended_bounds: true, extended_bounds: { min: 0, max: 23 } })], { seriesParams: series }),
        vis('pie', [count], { addLegend: true, labels: { show: false } }),
      ]),
    ).toEqual([]);
  });

  it('reports a line over time that joins the intervals around a gap, as min_doc_count 1 does', () => {
    expect(checkReadability([vis('line', [count, overTime(1)], { seriesParams: series })])).toEqual([expect.stringMatching(/date_histogram has min_doc_count 1; set 0/)]);
  });

  it('reports an hourly line without empty buckets or bounds, and smoothing that invents values', () => {
    expect(checkReadability([vis('line', [count, byHour({ min_doc_count: false })], { seriesParams: [{ ...series[0], interpolate: 'cardinal' }] })])).toEqual([
      expect.stringMatching(/does not show empty buckets/),
      expect.stringMatching(/has no extended bounds/),
      expect.stringMatching(/interpolates "cardinal"/),
    ]);
  });

  it('reports a donut with slice labels or without a legend', () => {
    expect(checkReadability([vis('pie', [count], { addLegend: false, labels: { show: true, truncate: 100 } })])).toEqual([
      expect.stringMatching(/shows slice labels, which are cut off/),
      expect.stringMatching(/has no legend/),
    ]);
  });
});

describe('the agent-class check', () => {
  const vis = (aggs: unknown[], query = ''): SavedObject => ({
    id: 'v',
    type: 'visualization',
    attributes: { title: 'v', visState: JSON.stringify({ type: 'pie', params: {}, aggs }), kibanaSavedObjectMeta: { searchSourceJSON: JSON.stringify({ query: { query, language: 'kuery' }, filter: [] }) } },
    references: [],
  });
  const count = { id: '1', type: 'count', schema: 'metric', params: {} };
  const on = (id: string, field: string) => ({ id, type: 'terms', schema: 'segment', params: { field, size: 5 } });

  it('accepts a device panel that leaves bots and tools out by query or splits by agent class, and panels on other fields', () => {
    expect(
      checkAgentClasses([
        vis([count, on('2', 'user_agent.browser')], 'not user_agent.agent_class : "bot" and not user_agent.agent_class : "tool"'),
        vis([count, on('2', 'user_agent.agent_class'), on('3', 'device_type')]),
        vis([count, on('2', 'geo.country')]),
      ]),
    ).toEqual([]);
  });

  it('reports a device or browser panel that counts bots and tools as people', () => {
    expect(checkAgentClasses([vis([count, on('2', 'user_agent.os'), on('3', 'user_agent.browser')])])).toEqual([
      expect.stringMatching(/counts user_agent.os, user_agent.browser with bots and tools among people/),
    ]);
  });
});

describe('the translation of a visualization into a search body', () => {
  const vis = (aggs: unknown[], query = { query: '', language: 'kuery' }): SavedObject => ({
    id: 'v',
    type: 'visualization',
    attributes: { title: 'v', visState: JSON.stringify({ type: 'table', params: {}, aggs }), kibanaSavedObjectMeta: { searchSourceJSON: JSON.stringify({ query, filter: [] }) } },
    references: [],
  });

  it('nests bucket aggregations in order, with the metrics inside the innermost one and count left to doc_count', () => {
    const body = toSearchBody(
      vis([
        { id: '1', type: 'count', schema: 'metric', params: {} },
        { id: '2', type: 'date_histogram', schema: 'segment', params: { field: 't', interval: 'auto', min_doc_count: 1 } },
        { id: '3', type: 'terms', schema: 'group', params: { field: 'k', size: 3, orderBy: '_key', order: 'asc' } },
        { id: '4', type: 'cardinality', schema: 'metric', params: { field: 'u' } },
      ]),
    );
    expect(body).toEqual({
      size: 0,
      track_total_hits: true,
      query: { bool: { must: [], filter: [], must_not: [] } },
      aggs: {
        '2': {
          date_histogram: { field: 't', fixed_interval: '1h', min_doc_count: 1 },
          aggs: { '3': { terms: { field: 'k', size: 3, order: { _key: 'asc' } }, aggs: { '4': { cardinality: { field: 'u' } } } } },
        },
      },
    });
  });

  it('orders terms by a metric through a sub-aggregation of that metric', () => {
    const aggs = aggsFromVisState(
      parseVisState(
        vis([
          { id: '1', type: 'cardinality', schema: 'metric', params: { field: 'device_id' } },
          { id: '2', type: 'terms', schema: 'bucket', params: { field: 'user_id', size: 10, orderBy: '1', order: 'desc' } },
        ]),
      ),
    );
    expect(aggs).toEqual({ '2': { terms: { field: 'user_id', size: 10, order: { '1': 'desc' } }, aggs: { '1': { cardinality: { field: 'device_id' } } } } });
  });

  it('writes extended bounds as Dashboards does: date bounds when set, histogram bounds only with has_extended_bounds', () => {
    const aggs = (agg: unknown) => aggsFromVisState(parseVisState(vis([{ id: '1', type: 'count', params: {} }, agg])));
    expect(aggs({ id: '2', type: 'histogram', params: { field: 'h', interval: 1, min_doc_count: true, has_extended_bounds: true, extended_bounds: { min: 0, max: 23 } } })).toEqual({
      '2': { histogram: { field: 'h', interval: 1, min_doc_count: 0, extended_bounds: { min: 0, max: 23 } } },
    });
    expect(aggs({ id: '2', type: 'histogram', params: { field: 'h', interval: 1, has_extended_bounds: false, extended_bounds: { min: 0, max: 23 } } })).toEqual({
      '2': { histogram: { field: 'h', interval: 1, min_doc_count: 1 } },
    });
    expect(aggs({ id: '2', type: 'date_histogram', params: { field: 't', interval: '1h', min_doc_count: 0, extended_bounds: { min: '2026-01-01T00:00:00Z', max: '2026-01-02T00:00:00Z' } } })).toEqual({
      '2': { date_histogram: { field: 't', fixed_interval: '1h', min_doc_count: 0, extended_bounds: { min: 1767225600000, max: 1767312000000 } } },
    });
  });

  it('maps calendar units to calendar_interval and fixed ones to fixed_interval', () => {
    const histogram = (interval: string) =>
      aggsFromVisState(parseVisState(vis([{ id: '1', type: 'count', params: {} }, { id: '2', type: 'date_histogram', params: { field: 't', interval } }])));
    expect(histogram('w')).toEqual({ '2': { date_histogram: { field: 't', calendar_interval: '1w', min_doc_count: 1 } } });
    expect(histogram('30m')).toEqual({ '2': { date_histogram: { field: 't', fixed_interval: '30m', min_doc_count: 1 } } });
  });

  it('turns labelled KQL filters into a filters aggregation, and the query bar into the query', () => {
    const body = toSearchBody(
      vis(
        [
          { id: '1', type: 'count', params: {} },
          { id: '2', type: 'filters', params: { filters: [{ input: { query: 'app.outdated : true', language: 'kuery' }, label: 'Outdated' }] } },
        ],
        { query: 'device_type : "iOS" and not geo.country : *', language: 'kuery' },
      ),
    );
    expect(body.aggs).toEqual({ '2': { filters: { filters: { Outdated: { match: { 'app.outdated': 'true' } } } } } });
    expect(body.query).toEqual({
      bool: { must: [{ bool: { filter: [{ match_phrase: { device_type: 'iOS' } }, { bool: { must_not: [{ exists: { field: 'geo.country' } }] } }] } }], filter: [], must_not: [] },
    });
  });

  it('adds the time range as a filter on the time field', () => {
    const body = toSearchBody(vis([{ id: '1', type: 'count', params: {} }]), { timeField: 't', timeRange: { gte: 'now-1h', lte: 'now' } });
    expect((body.query as { bool: { filter: unknown[] } }).bool.filter).toEqual([{ range: { t: { gte: 'now-1h', lte: 'now', format: 'strict_date_optional_time||epoch_millis' } } }]);
  });

  it('refuses KQL outside the subset it understands, saying so', () => {
    expect(() => parseKuery('user_id : abc*')).toThrow(/outside the supported subset: wildcard values/);
    expect(kqlToDsl(parseKuery('a : 1 or (b >= 2 and c : "x y")'))).toEqual({
      bool: { should: [{ match: { a: '1' } }, { bool: { filter: [{ range: { b: { gte: '2' } } }, { match_phrase: { c: 'x y' } }] } }], minimum_should_match: 1 },
    });
  });
});

describe('the check of a search response', () => {
  const vis = {
    type: 'table',
    params: {},
    aggs: [
      { id: '1', type: 'count', params: {} },
      { id: '2', type: 'terms', params: { field: 'user_id' } },
      { id: '3', type: 'cardinality', params: { field: 'device_id' } },
    ],
  };
  const response = (buckets: unknown[], total = 10) => ({ hits: { total: { value: total, relation: 'eq' } }, aggregations: { '2': { buckets } } });

  it('accepts a response with a non-empty bucket whose metric has a value', () => {
    expect(checkResponse(vis, response([{ key: 'u1', doc_count: 3, '3': { value: 2 } }]))).toEqual([]);
  });

  it('reports a query that matched no documents', () => {
    expect(checkResponse(vis, response([], 0))).toEqual(['the query matched no documents']);
  });

  it('reports a bucket aggregation without non-empty buckets', () => {
    expect(checkResponse(vis, response([{ key: 'u1', doc_count: 0, '3': { value: 0 } }]))).toEqual(['agg 2 (terms on user_id) returned no non-empty buckets']);
  });

  it('reports a metric that is zero in every bucket, as for a field no document fills', () => {
    expect(checkResponse(vis, response([{ key: 'u1', doc_count: 3, '3': { value: 0 } }]))).toEqual(['metric 3 (cardinality of device_id) is empty or zero everywhere']);
  });

  it('accepts filters buckets keyed by label when one of them has documents', () => {
    const filters = { type: 'pie', params: {}, aggs: [{ id: '1', type: 'count', params: {} }, { id: '2', type: 'filters', params: {} }] };
    const keyed = (a: number, b: number) => ({ hits: { total: { value: a + b } }, aggregations: { '2': { buckets: { A: { doc_count: a }, B: { doc_count: b } } } } });
    expect(checkResponse(filters, keyed(0, 4))).toEqual([]);
    expect(checkResponse(filters, keyed(0, 0))).toEqual(['the query matched no documents']);
  });
});
