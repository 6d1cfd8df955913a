import { interactionsProcessing } from './interactions/processing';
import { loginProcessing } from './login/processing';
import { musicProcessing } from './music/processing';
import { profilesProcessing } from './profiles/processing';
import { selectChains, topicsWithNamespace } from './select';
import type { ProcessingFacet } from './types';

/** Every chain's processing facet: the processor's registry. */
export const PROCESSING: readonly ProcessingFacet[] = [loginProcessing, musicProcessing, interactionsProcessing, profilesProcessing];

export function selectProcessing(names: readonly string[], namespace = '', setting = 'CHAINS'): ProcessingFacet[] {
  return selectChains(PROCESSING, names, namespace, setting, processingWithNamespace);
}

export function processingWithNamespace(chain: ProcessingFacet, ns: string): ProcessingFacet {
  if (!ns) return chain;
  return {
    ...topicsWithNamespace(chain, ns),
    schemaFor: (topic) => (topic.startsWith(ns) ? chain.schemaFor(topic.slice(ns.length)) : undefined),
  };
}
