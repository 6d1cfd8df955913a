export { HealthReporter } from './healthReporter';
export type { HealthReporterOptions } from './healthReporter';
export { healthIndex, healthIndexFor, ensureHealthTemplate, pruneHealthIndices, HEALTH_INDEX_PREFIX } from './healthIndex';
export type { HealthIndex } from './healthIndex';
export { HEALTH_DEFAULTS } from './options';
export { sampleHealth } from './sampleHealth';
export type { CounterTotals, HealthInput, MetricJson } from './sampleHealth';
export type { CounterHealth, HealthRecord, LagHealth, ProcessHealth, TimingHealth } from './types';
