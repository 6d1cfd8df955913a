import { ConfigError } from '../errors';
import type { ChainTopics, Facet, TopicsFacet } from './types';

export type Namespacer<F> = (facet: F, namespace: string) => F;

export function chainNames(registry: readonly Facet[]): string[] {
  return registry.map((c) => c.name);
}

/**
 * Resolves a CHAINS setting ("all" or a list of names) against one facet's registry;
 * unknown names stop the service. A namespace (STREAMDEX_NAMESPACE) prefixes every
 * topic, index and template name, so several environments (or test runs) share one
 * cluster without seeing each other; each facet says how with its `withNamespace`.
 */
export function selectChains<F extends Facet>(
  registry: readonly F[],
  names: readonly string[],
  namespace: string,
  setting: string,
  withNamespace: Namespacer<F>,
): F[] {
  const chosen =
    names.length === 0 || names.includes('all')
      ? [...registry]
      : names.map((name) => {
          const chain = registry.find((c) => c.name === name);
          if (!chain) throw new ConfigError(setting, `unknown chain "${name}"; known chains: ${chainNames(registry).join(', ')}, all`);
          return chain;
        });
  return namespace ? chosen.map((c) => withNamespace(c, namespace)) : chosen;
}

export function namespacedTopics(topics: ChainTopics, ns: string): ChainTopics {
  return { ...topics, inputs: topics.inputs.map((t) => ns + t), output: ns + topics.output, deadLetter: ns + topics.deadLetter };
}

export function topicsWithNamespace<F extends TopicsFacet>(chain: F, ns: string): F {
  return ns ? { ...chain, topics: namespacedTopics(chain.topics, ns) } : chain;
}

export function chainForInputTopic<F extends TopicsFacet>(chains: readonly F[], topic: string): F | undefined {
  return chains.find((c) => c.topics.inputs.includes(topic));
}

export function chainForOutputTopic<F extends TopicsFacet>(chains: readonly F[], topic: string): F | undefined {
  return chains.find((c) => c.topics.output === topic);
}
