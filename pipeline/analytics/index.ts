export { decodeCheckpoint, encodeCheckpoint } from './checkpoint';
export { dimensionValue, eventTimeMs, fieldAt } from './fieldPath';
export { haversineKm } from './haversine';
export { aggregateId, alertId, windowStart } from './ids';
export { PartitionWindows, type AddResult } from './partitionWindows';
export { MAX_EVIDENCE_IDS, MAX_TRAVEL_POINTS } from './ruleState';
export * from './types';
export { resolveRule, streamSpecs, type WindowSettings } from './streamSpecs';
