// A KQL subset: `field : value`, `field : "phrase"`, `field : *`, `field >= value`,
// `not`, `and`, `or` and parentheses. Enough for filters; anything else is reported.

export type KqlNode =
  | { readonly kind: 'and' | 'or'; readonly children: readonly KqlNode[] }
  | { readonly kind: 'not'; readonly child: KqlNode }
  | { readonly kind: 'match'; readonly field: string; readonly value: string; readonly phrase: boolean }
  | { readonly kind: 'exists'; readonly field: string }
  | { readonly kind: 'range'; readonly field: string; readonly op: 'gt' | 'gte' | 'lt' | 'lte'; readonly value: string }
  | { readonly kind: 'text'; readonly value: string };

export function parseKuery(text: string): KqlNode {
  const tokens = text.match(/"(?:[^"\\]|\\.)*"|<=|>=|[():<>]|[^\s():<>"]+/g) ?? [];
  let i = 0;
  const peek = (): string | undefined => tokens[i];
  const isWord = (t: string | undefined, w: string): boolean => t !== undefined && t.toLowerCase() === w;
  const fail = (why: string): never => {
    throw new Error(`KQL "${text}" is outside the supported subset: ${why}`);
  };
  const value = (): { value: string; phrase: boolean } => {
    const t = tokens[i++];
    if (t === undefined || ['(', ')', ':', '<', '>', '<=', '>='].includes(t)) return fail('a value is missing');
    return t.startsWith('"') ? { value: t.slice(1, -1).replace(/\\(.)/g, '$1'), phrase: true } : { value: t, phrase: false };
  };
  const primary = (): KqlNode => {
    const t = peek();
    if (isWord(t, 'not')) {
      i++;
      return { kind: 'not', child: primary() };
    }
    if (t === '(') {
      i++;
      const inner = or();
      if (tokens[i++] !== ')') fail('unbalanced parentheses');
      return inner;
    }
    const first = value();
    const op = peek();
    if (op === ':') {
      i++;
      if (first.phrase) fail('a field name cannot be quoted');
      const v = value();
      if (!v.phrase && v.value === '*') return { kind: 'exists', field: first.value };
      if (!v.phrase && v.value.includes('*')) fail('wildcard values');
      return { kind: 'match', field: first.value, value: v.value, phrase: v.phrase };
    }
    if (op === '<' || op === '>' || op === '<=' || op === '>=') {
      i++;
      const ops = { '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte' } as const;
      return { kind: 'range', field: first.value, op: ops[op], value: value().value };
    }
    return { kind: 'text', value: first.value };
  };
  const and = (): KqlNode => {
    const children = [primary()];
    while (isWord(peek(), 'and')) {
      i++;
      children.push(primary());
    }
    return children.length === 1 ? children[0]! : { kind: 'and', children };
  };
  const or = (): KqlNode => {
    const children = [and()];
    while (isWord(peek(), 'or')) {
      i++;
      children.push(and());
    }
    return children.length === 1 ? children[0]! : { kind: 'or', children };
  };
  if (tokens.length === 0) return fail('empty query');
  const node = or();
  if (i < tokens.length) fail(`unexpected "${tokens[i]}"`);
  return node;
}

export function kqlFields(node: KqlNode): string[] {
  switch (node.kind) {
    case 'and':
    case 'or':
      return node.children.flatMap(kqlFields);
    case 'not':
      return kqlFields(node.child);
    case 'text':
      return [];
    default:
      return [node.field];
  }
}
