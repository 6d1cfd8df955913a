export { createMetricsRegistry, startMetricsServer } from './server';
export type { HealthSource } from './server';
