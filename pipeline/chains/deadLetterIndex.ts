import type { IndexSpec } from '../opensearch';
import { bool, date, indexTemplate, integer, keyword, long, longKeyword } from './mappings';

/** Not searched, only shown: kept in _source and the mapping (strict), without index or doc values. */
const shown = { type: 'keyword', index: false, doc_values: false } as const;

/**
 * The one index all chains' dead letters go to (document: pipeline/core/deadLetterDocument.ts).
 * Strict like the chain indices; every field a bounded string or a number, so a dead letter
 * of any bytes fits it. The Kafka topic stays the source of truth for replays.
 */
export const DEAD_LETTER_ALIAS = 'streamdex-deadletters';

export const deadLetterIndex: IndexSpec = {
  alias: DEAD_LETTER_ALIAS,
  initialIndex: `${DEAD_LETTER_ALIAS}-000001`,
  templateName: DEAD_LETTER_ALIAS,
  timeField: 'failed_at',
  template: indexTemplate(`${DEAD_LETTER_ALIAS}-*`, {
    chain: keyword,
    stage: keyword,
    code: keyword,
    reason: longKeyword,
    field: keyword,
    failed_at: date,
    source: { properties: { topic: keyword, partition: integer, offset: long } },
    dead_letter: { properties: { topic: keyword, partition: integer, offset: long, timestamp: { type: 'date', format: 'epoch_millis' } } },
    value: { properties: { original_bytes: long, tombstone: bool, preview: shown, preview_encoding: keyword, preview_truncated: bool } },
    key: shown,
    headers: { properties: { key: keyword, value: shown, encoding: keyword } },
    read_command: longKeyword,
  }),
};

export function deadLetterIndexWithNamespace(ns: string): IndexSpec {
  if (!ns) return deadLetterIndex;
  const template = deadLetterIndex.template as { index_patterns: string[] };
  return {
    ...deadLetterIndex,
    alias: ns + deadLetterIndex.alias,
    initialIndex: ns + deadLetterIndex.initialIndex,
    templateName: ns + deadLetterIndex.templateName,
    template: { ...deadLetterIndex.template, index_patterns: template.index_patterns.map((p) => ns + p) },
  };
}
