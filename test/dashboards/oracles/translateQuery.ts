import { isRecord } from './json';
import { parseKuery, type KqlNode } from './parseKuery';

export interface QueryInput {
  readonly query: unknown;
  readonly language?: string;
}

/** A query bar input (KQL or Lucene) as OpenSearch DSL. */
export function translateQuery(input: QueryInput): unknown {
  const q = input.query;
  if (isRecord(q)) return q; // already DSL (old saved objects)
  const text = typeof q === 'string' ? q.trim() : '';
  if (text === '') return { match_all: {} };
  if (input.language === 'lucene') return { query_string: { query: text, analyze_wildcard: true } };
  return kqlToDsl(parseKuery(text));
}

export function queryInput(v: Record<string, unknown>): QueryInput {
  return { query: v.query, ...(typeof v.language === 'string' ? { language: v.language } : {}) };
}

export function isMatchAll(q: unknown): boolean {
  return isRecord(q) && isRecord(q.match_all) && Object.keys(q).length === 1;
}

/** Roughly the DSL Dashboards' KQL compiler emits for the same query. */
export function kqlToDsl(node: KqlNode): unknown {
  switch (node.kind) {
    case 'and':
      return { bool: { filter: node.children.map(kqlToDsl) } };
    case 'or':
      return { bool: { should: node.children.map(kqlToDsl), minimum_should_match: 1 } };
    case 'not':
      return { bool: { must_not: [kqlToDsl(node.child)] } };
    case 'exists':
      return { exists: { field: node.field } };
    case 'range':
      return { range: { [node.field]: { [node.op]: node.value } } };
    case 'match':
      return node.phrase ? { match_phrase: { [node.field]: node.value } } : { match: { [node.field]: node.value } };
    case 'text':
      return { multi_match: { query: node.value, type: 'best_fields', lenient: true } };
  }
}
