export { CHAINS, chainNames, selectChains, withNamespace, chainForInputTopic, chainForOutputTopic } from './registry';
export { loginChain } from './login';
export { musicChain, MusicTopic } from './music';
export { interactionsChain, INTERACTION_TYPES } from './interactions';
export { ChainName, IpMode } from './types';
export type {
  ChainDefinition,
  ChainGenerator,
  ChainTopics,
  EnrichMeta,
  GeneratedRecord,
  GeneratorOptions,
  IndexSpec,
  MalformedSpec,
  ProcessingContext,
  SourceCoordinates,
} from './types';
