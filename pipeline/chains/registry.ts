import { ConfigError } from '../errors';
import { interactionsChain } from './interactions';
import { loginChain } from './login';
import { musicChain } from './music';
import type { ChainDefinition } from './types';

/** Every chain the pipeline knows. Adding a chain: write its definition, list it here. */
export const CHAINS: readonly ChainDefinition[] = [loginChain, musicChain, interactionsChain];

export function chainNames(): string[] {
  return CHAINS.map((c) => c.name);
}

/**
 * Resolves a CHAINS setting ("all" or a list of names); unknown names stop the service.
 * A namespace (STREAMDEX_NAMESPACE) prefixes every topic, index and template name, so
 * several environments (or test runs) share one cluster without seeing each other.
 */
export function selectChains(names: readonly string[], namespace = '', setting = 'CHAINS'): ChainDefinition[] {
  const chosen =
    names.length === 0 || names.includes('all')
      ? [...CHAINS]
      : names.map((name) => {
          const chain = CHAINS.find((c) => c.name === name);
          if (!chain) throw new ConfigError(setting, `unknown chain "${name}"; known chains: ${chainNames().join(', ')}, all`);
          return chain;
        });
  return chosen.map((c) => withNamespace(c, namespace));
}

export function withNamespace(chain: ChainDefinition, ns: string): ChainDefinition {
  if (!ns) return chain;
  const t = (name: string) => `${ns}${name}`;
  const template = chain.index.template as { index_patterns: string[] };
  return {
    ...chain,
    topics: { inputs: chain.topics.inputs.map(t), output: t(chain.topics.output), deadLetter: t(chain.topics.deadLetter) },
    schemaFor: (topic) => (topic.startsWith(ns) ? chain.schemaFor(topic.slice(ns.length)) : undefined),
    index: {
      ...chain.index,
      alias: t(chain.index.alias),
      initialIndex: t(chain.index.initialIndex),
      templateName: t(chain.index.templateName),
      template: { ...chain.index.template, index_patterns: template.index_patterns.map(t) },
    },
    generator: (options) => {
      const inner = chain.generator(options);
      return { next: () => {
        const r = inner.next();
        return r.done ? r : { done: false, value: { ...r.value, topic: t(r.value.topic) } };
      } };
    },
  };
}

export function chainForInputTopic(chains: readonly ChainDefinition[], topic: string): ChainDefinition | undefined {
  return chains.find((c) => c.topics.inputs.includes(topic));
}

export function chainForOutputTopic(chains: readonly ChainDefinition[], topic: string): ChainDefinition | undefined {
  return chains.find((c) => c.topics.output === topic);
}
