import { RuleKind, RuleSource, type RuleSpec } from '../analytics';

/**
 * Every chain's dead-letter spike: the share of dead letters among a window's records (its
 * dead-letter topic beside its processed topic, by record time), the same settings for all.
 */
export const DEAD_LETTER_SPIKE: RuleSpec = {
  id: 'dead_letter_spike',
  kind: RuleKind.SHARE,
  source: RuleSource.DEAD_LETTERS,
  thresholdSetting: 'ALERT_DEAD_LETTER_SHARE_PERCENT',
  minCountSetting: 'ALERT_DEAD_LETTER_MIN_COUNT',
  windowSetting: 'ALERT_DEAD_LETTER_WINDOW_SECONDS',
};
