export { GENERATION, selectGeneration, generationWithNamespace } from './registry';
export { loginGeneration } from './login';
export { musicGeneration } from './music';
export { interactionsGeneration } from './interactions';
export type { ChainGenerator, GeneratedRecord, GenerationFacet, GeneratorOptions, MalformedSpec } from './types';
