import type { Client } from '@opensearch-project/opensearch';
import { indexingWithNamespace } from '../../../pipeline/chains/indexing';
import { loginIndexing } from '../../../pipeline/chains/login/indexing';
import { ensureIndex } from '../../../pipeline/opensearch';
import { uniqueName } from '../../helpers/env';
import { useOpenSearch } from '../../helpers/opensearch';

/** ensureIndex's refresh_interval override (INDEX_REFRESH_INTERVAL) on the real OpenSearch. */
const ns = `${uniqueName('it-indices')}-`;
const chain = indexingWithNamespace(loginIndexing, ns);
const search = useOpenSearch();
search.cleanup(`${ns}*`);
let client: Client;

async function refreshIntervalOf(index: string): Promise<string | undefined> {
  const res = await client.indices.getSettings({ index, flat_settings: true } as never);
  const settings = Object.values(res.body as Record<string, { settings: Record<string, string> }>)[0]?.settings;
  return settings?.['index.refresh_interval'];
}

async function templateRefreshInterval(): Promise<unknown> {
  const res = await client.indices.getIndexTemplate({ name: chain.index.templateName });
  const t = (res.body as { index_templates: Array<{ index_template: { template: { settings: { index?: { refresh_interval?: string } } } } }> }).index_templates[0];
  return t?.index_template.template.settings.index?.refresh_interval;
}

describe('ensureIndex with a refresh interval', () => {
  beforeAll(() => {
    client = search.client();
  });

  it("creates the index with the chain template's own refresh interval when none is given", async () => {
    await ensureIndex(client, chain.index);
    expect(await refreshIntervalOf(chain.index.initialIndex)).toBe('1s');
    expect(await templateRefreshInterval()).toBe('1s');
  });

  it('puts a given refresh interval into the template and onto the live index', async () => {
    await ensureIndex(client, chain.index, { refreshInterval: '500ms' });
    expect(await refreshIntervalOf(chain.index.initialIndex)).toBe('500ms');
    expect(await templateRefreshInterval()).toBe('500ms');
  });

  it('leaves the live index alone when started again without one', async () => {
    await ensureIndex(client, chain.index);
    expect(await refreshIntervalOf(chain.index.initialIndex)).toBe('500ms');
  });
});
