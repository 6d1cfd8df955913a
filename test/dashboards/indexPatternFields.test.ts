/**
 * The index patterns in dashboards/*.ndjson carry the field list Dashboards would compute
 * from the chain's index template, so a first load has no field refresh to save. A template
 * change without `npm run dashboards:fields` fails here.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DASHBOARD_FILES, DASHBOARDS, mappingsOf as indexMappings, otherPatternMappings, PIPELINE_DASHBOARDS } from '../../dashboards/chains';
import { indexPatternFields } from '../../dashboards/indexPatternFields';
import { parseNdjson } from '../../dashboards/parseNdjson';
import { withIndexPatternFields } from '../../dashboards/withIndexPatternFields';

const dashboardsDir = path.resolve(__dirname, '..', '..', 'dashboards');
const mappingsOf = (name: string): unknown => indexMappings(DASHBOARD_FILES.find((d) => d.name === name)!.index);
const chainDashboards = new Set<string>(DASHBOARDS.map((d) => d.name));
const pipelineDashboards = new Set<string>(PIPELINE_DASHBOARDS.map((d) => d.name));

describe.each(DASHBOARD_FILES.map((d) => [d.name, d] as const))('the %s index pattern', (name, dashboard) => {
  const file = path.join(dashboardsDir, dashboard.file);
  const text = readFileSync(file, 'utf8');
  const pattern = parseNdjson(text, file).find((o) => o.type === 'index-pattern' && o.attributes.title === dashboard.index.alias)!;

  it('ships its fields as a JSON string attribute, as Dashboards 2.x and 3.x save it', () => {
    expect(typeof pattern.attributes.fields).toBe('string');
    expect(Array.isArray(JSON.parse(pattern.attributes.fields as string))).toBe(true);
  });

  it("lists exactly the fields the chain's index template generates (run `npm run dashboards:fields` after a template change)", () => {
    expect(JSON.parse(pattern.attributes.fields as string)).toEqual(indexPatternFields(mappingsOf(name)));
  });

  it('lists the time field as a date and every field the template maps', () => {
    const fields = JSON.parse(pattern.attributes.fields as string) as Array<{ name: string; type: string }>;
    expect(fields.find((f) => f.name === pattern.attributes.timeFieldName)?.type).toBe('date');
    // A chain's documents carry their quality and source blocks, the analytics outputs their window, health samples their service.
    const own = chainDashboards.has(name) ? ['quality.dialect', 'source.offset'] : pipelineDashboards.has(name) ? ['service', 'instance', 'rss_bytes'] : ['window.start', 'window.end', 'window.size_seconds'];
    expect(fields.map((f) => f.name)).toEqual(expect.arrayContaining(['_id', '_index', '_score', '_source', '_type', ...own]));
  });

  it('is what the generator writes: the file is current', () => {
    expect(withIndexPatternFields(text, mappingsOf(name), otherPatternMappings())).toBe(text);
  });
});

describe('the index patterns of other indices', () => {
  const others = otherPatternMappings();
  const files = [...DASHBOARDS, ...PIPELINE_DASHBOARDS].map((d) => d.file);
  const patterns = files.flatMap((f) => parseNdjson(readFileSync(path.join(dashboardsDir, f), 'utf8'), f).filter((o) => o.type === 'index-pattern'));

  it('carry the fields of their own index (dead letters, health, all chains), not of the chain beside them', () => {
    const foreign = patterns.filter((p) => String(p.attributes.title) in others);
    expect(foreign.length).toBe(DASHBOARDS.length + 2);
    for (const p of foreign) expect(JSON.parse(p.attributes.fields as string)).toEqual(indexPatternFields(others[String(p.attributes.title)]));
  });

});

describe('the index pattern field generator', () => {
  const mappings = {
    properties: {
      event_time: { type: 'date' },
      user: { type: 'keyword', ignore_above: 256 },
      message: { type: 'text', fields: { keyword: { type: 'keyword' } } },
      geo: { properties: { location: { type: 'geo_point' }, shape: { type: 'geo_shape' } } },
      n: { type: 'short' },
      addr: { type: 'ip' },
      ok: { type: 'boolean' },
      raw: { type: 'keyword', doc_values: false },
      off: { type: 'object', enabled: false },
    },
  };
  const fields = indexPatternFields(mappings);
  const byName = (n: string) => fields.find((f) => f.name === n);

  it('lists meta fields and leaves sorted by name, without objects', () => {
    expect(fields.map((f) => f.name)).toEqual([
      '_id', '_index', '_score', '_source', '_type', 'addr', 'event_time', 'geo.location', 'geo.shape', 'message', 'message.keyword', 'n', 'ok', 'raw', 'user',
    ]);
  });

  it('casts OpenSearch types to Dashboards types and keeps the OpenSearch type in esTypes', () => {
    expect(fields.filter((f) => !f.name.startsWith('_')).map((f) => [f.name, f.type, f.esTypes])).toEqual([
      ['addr', 'ip', ['ip']],
      ['event_time', 'date', ['date']],
      ['geo.location', 'geo_point', ['geo_point']],
      ['geo.shape', 'geo_shape', ['geo_shape']],
      ['message', 'string', ['text']],
      ['message.keyword', 'string', ['keyword']],
      ['n', 'number', ['short']],
      ['ok', 'boolean', ['boolean']],
      ['raw', 'string', ['keyword']],
      ['user', 'string', ['keyword']],
    ]);
  });

  it('marks text, geo_shape and fields without doc values as not read from doc values, and text as not aggregatable', () => {
    expect(byName('message')).toMatchObject({ searchable: true, aggregatable: false, readFromDocValues: false });
    expect(byName('message.keyword')).toMatchObject({ aggregatable: true, readFromDocValues: true, subType: { multi: { parent: 'message' } } });
    expect(byName('geo.shape')).toMatchObject({ aggregatable: false, readFromDocValues: false });
    expect(byName('geo.location')).toMatchObject({ aggregatable: true, readFromDocValues: true });
    expect(byName('raw')).toMatchObject({ aggregatable: false, readFromDocValues: false });
  });

  it('gives meta fields the overrides Dashboards applies', () => {
    expect(byName('_id')).toEqual({ count: 0, name: '_id', type: 'string', esTypes: ['_id'], scripted: false, searchable: true, aggregatable: true, readFromDocValues: false });
    expect(byName('_source')).toMatchObject({ type: '_source', searchable: false, aggregatable: false });
    expect(byName('_score')).toMatchObject({ type: 'number', searchable: false, aggregatable: false });
  });

  it('rewrites only index-pattern lines of a file', () => {
    const vis = '{"attributes":{"title":"v"},"id":"v","references":[],"type":"visualization"}';
    const out = withIndexPatternFields(`{"attributes":{"title":"p"},"id":"p","references":[],"type":"index-pattern"}\n${vis}\n`, mappings).split('\n');
    expect(JSON.parse(out[0]!).attributes.fields).toBe(JSON.stringify(fields));
    expect(out.slice(1)).toEqual([vis, '']);
  });
});
