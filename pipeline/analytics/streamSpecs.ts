import { ConfigError } from '../errors';
import { RuleSource, type ChainAnalytics, type Rule, type RuleSpec, type StreamSpec } from './types';

export interface WindowSettings {
  readonly aggregateSizesMs: readonly number[];
  readonly allowedLatenessMs: number;
  /**
   * Lateness of the record-time windows (share rules): record times are the producers'
   * clock, nearly in order, so this only covers the processor writing a record's dead
   * letter and its neighbours' processed records a moment apart. Default: allowedLatenessMs.
   */
  readonly recordLatenessMs?: number;
  /** The service's settings, where rules find their thresholds and windows by name. */
  readonly settings: Readonly<Record<string, unknown>>;
}

/** A rule with its thresholds read from the settings; a setting it names but nobody defines stops the service. */
export function resolveRule(spec: RuleSpec, settings: Readonly<Record<string, unknown>>): Rule {
  const read = (name: string): number => {
    const v = settings[name];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new ConfigError(name, `is needed by alert rule ${spec.id} and must be a number`);
    return v;
  };
  const { thresholdSetting, windowSetting, minDistanceSetting, minCountSetting, ...rest } = spec;
  return {
    ...rest,
    threshold: read(thresholdSetting),
    windowMs: read(windowSetting) * 1000,
    minDistanceKm: minDistanceSetting ? read(minDistanceSetting) : 0,
    minCount: minCountSetting ? read(minCountSetting) : 0,
  };
}

/**
 * What a chain's processed topic is windowed by (event time), and what its dead-letter
 * topic is windowed by together with the processed topic (record time, share rules).
 */
export function streamSpecs(chain: string, a: ChainAnalytics, w: WindowSettings): { events: StreamSpec; deadLetters: StreamSpec } {
  const rules = a.rules.map((r) => resolveRule(r, w.settings));
  const common = { chain, allowedLatenessMs: w.allowedLatenessMs, userField: a.userField };
  return {
    events: { ...common, source: RuleSource.EVENTS, aggregateSizesMs: w.aggregateSizesMs, dimensions: a.dimensions, sums: a.sums, rules: rules.filter((r) => r.source === RuleSource.EVENTS) },
    deadLetters: {
      ...common,
      allowedLatenessMs: w.recordLatenessMs ?? w.allowedLatenessMs,
      source: RuleSource.DEAD_LETTERS,
      aggregateSizesMs: [],
      dimensions: {},
      sums: {},
      rules: rules.filter((r) => r.source === RuleSource.DEAD_LETTERS),
    },
  };
}
