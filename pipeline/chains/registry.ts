import { ConfigError } from '../errors';
import { loginChain } from './login';
import type { ChainDefinition } from './types';

/** Every chain the pipeline knows. Adding a chain: write its definition, list it here. */
export const CHAINS: readonly ChainDefinition[] = [loginChain];

export function chainNames(): string[] {
  return CHAINS.map((c) => c.name);
}

/** Resolves a CHAINS setting ("all" or a list of names); unknown names stop the service. */
export function selectChains(names: readonly string[], setting = 'CHAINS'): ChainDefinition[] {
  if (names.length === 0 || names.includes('all')) return [...CHAINS];
  return names.map((name) => {
    const chain = CHAINS.find((c) => c.name === name);
    if (!chain) throw new ConfigError(setting, `unknown chain "${name}"; known chains: ${chainNames().join(', ')}, all`);
    return chain;
  });
}

export function chainForInputTopic(chains: readonly ChainDefinition[], topic: string): ChainDefinition | undefined {
  return chains.find((c) => c.topics.inputs.includes(topic));
}

export function chainForOutputTopic(chains: readonly ChainDefinition[], topic: string): ChainDefinition | undefined {
  return chains.find((c) => c.topics.output === topic);
}
