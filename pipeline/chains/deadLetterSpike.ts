import { RuleKind, RuleSource, type RuleSpec } from '../analytics';

/** Every chain's dead-letter spike: the same rule on its own dead-letter topic, the same settings. */
export const DEAD_LETTER_SPIKE: RuleSpec = {
  id: 'dead_letter_spike',
  kind: RuleKind.COUNT,
  source: RuleSource.DEAD_LETTERS,
  thresholdSetting: 'ALERT_DEAD_LETTER_COUNT',
  windowSetting: 'ALERT_DEAD_LETTER_WINDOW_SECONDS',
};
