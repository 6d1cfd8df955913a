export { createMetricsRegistry, startMetricsServer } from './server';
export type { HealthSource } from './server';
export { recordOutcomes } from './recordOutcomes';
export type { OutcomeLabel } from './recordOutcomes';
export { countTextRepairs, textRepairs } from './textRepairs';
export type { TextRepairLabel } from './textRepairs';
