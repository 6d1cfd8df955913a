export { CHAINS, chainNames, selectChains, withNamespace, chainForInputTopic, chainForOutputTopic } from './registry';
export { loginChain } from './login';
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
