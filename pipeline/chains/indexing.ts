import { interactionsIndexing } from './interactions/indexing';
import { loginIndexing } from './login/indexing';
import { musicIndexing } from './music/indexing';
import { profilesIndexing } from './profiles/indexing';
import { selectChains, topicsWithNamespace } from './select';
import type { IndexFacet } from './types';

/** Every chain's index facet: the indexer's registry. Loads no schema and no enrichment. */
export const INDEXING: readonly IndexFacet[] = [loginIndexing, musicIndexing, interactionsIndexing, profilesIndexing];

export function selectIndexing(names: readonly string[], namespace = '', setting = 'CHAINS'): IndexFacet[] {
  return selectChains(INDEXING, names, namespace, setting, indexingWithNamespace);
}

export function indexingWithNamespace(chain: IndexFacet, ns: string): IndexFacet {
  if (!ns) return chain;
  const t = (name: string) => `${ns}${name}`;
  const { index } = chain;
  const template = index.template as { index_patterns: string[] };
  return {
    ...topicsWithNamespace(chain, ns),
    index: {
      ...index,
      alias: t(index.alias),
      initialIndex: t(index.initialIndex),
      templateName: t(index.templateName),
      template: { ...index.template, index_patterns: template.index_patterns.map(t) },
    },
  };
}
