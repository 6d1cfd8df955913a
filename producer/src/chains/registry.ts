import { selectChains, topicsWithNamespace } from '../../../pipeline/chains/select';
import { interactionsGeneration } from './interactions';
import { loginGeneration } from './login';
import { musicGeneration } from './music';
import { profilesGeneration } from './profiles';
import type { GenerationFacet } from './types';

/** Every chain the producer can generate: the generation facet's registry. */
export const GENERATION: readonly GenerationFacet[] = [loginGeneration, musicGeneration, interactionsGeneration, profilesGeneration];

export function selectGeneration(names: readonly string[], namespace = '', setting = 'CHAINS'): GenerationFacet[] {
  return selectChains(GENERATION, names, namespace, setting, generationWithNamespace);
}

/** Generated records go to the namespaced topics too. */
export function generationWithNamespace(chain: GenerationFacet, ns: string): GenerationFacet {
  if (!ns) return chain;
  return {
    ...topicsWithNamespace(chain, ns),
    generator: (options) => {
      const inner = chain.generator(options);
      return { next: () => {
        const r = inner.next();
        return r.done ? r : { done: false, value: { ...r.value, topic: ns + r.value.topic } };
      } };
    },
  };
}
