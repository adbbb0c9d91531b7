/**
 * A small OData `$filter` evaluator covering what directory sync uses: `eq`, `ne`, `in`,
 * `startswith`, `endswith`, `not`, `and`, `or`, parentheses; string literals compare
 * case-insensitively as in Entra. `ne`, `not` and `endswith` are "advanced queries": Graph only
 * accepts them with `ConsistencyLevel: eventual` and `$count=true`.
 *
 * @see https://learn.microsoft.com/graph/aad-advanced-queries (reference idp-apis.md §A "Paging")
 */
import { GraphHttpError } from './errors.js';

/** A parsed filter. */
export type Filter = { test(object: Record<string, unknown>): boolean; advanced: boolean };

type Literal = string | number | boolean | null;
type Token = { kind: 'word' | 'string' | 'punct'; text: string; pos: number };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s*(?:'((?:[^']|'')*)'|([(),])|([A-Za-z_][\w./]*|-?\d+(?:\.\d+)?))/y;
  let pos = 0;
  while (pos < source.length) {
    if (/^\s*$/.test(source.slice(pos))) {
      break;
    }
    pattern.lastIndex = pos;
    const match = pattern.exec(source);
    if (!match) {
      throw syntax(source, pos);
    }
    const [, str, punct, word] = match;
    if (str !== undefined) {
      tokens.push({ kind: 'string', text: str.replaceAll("''", "'"), pos });
    } else if (punct !== undefined) {
      tokens.push({ kind: 'punct', text: punct, pos });
    } else {
      tokens.push({ kind: 'word', text: word ?? '', pos });
    }
    pos = pattern.lastIndex;
  }
  return tokens;
}

function syntax(source: string, pos: number): GraphHttpError {
  return new GraphHttpError(
    400,
    'BadRequest',
    `Invalid filter clause: Syntax error at position ${pos} in '${source}'.`,
  );
}

function norm(value: unknown): unknown {
  return typeof value === 'string' ? value.toLowerCase() : value;
}

/**
 * Parses `source` for objects of `resource` (e.g. `User`) whose filterable properties are
 * `properties`.
 *
 * @throws GraphHttpError 400 on syntax errors or properties that cannot be filtered
 */
export function parseFilter(
  source: string,
  resource: string,
  properties: readonly string[],
): Filter {
  const tokens = tokenize(source);
  let index = 0;
  let advanced = false;
  const peek = (): Token | undefined => tokens[index];
  const take = (): Token => {
    const token = tokens[index];
    if (!token) {
      throw syntax(source, source.length);
    }
    index += 1;
    return token;
  };
  const expect = (text: string): void => {
    const token = take();
    if (token.text.toLowerCase() !== text) {
      throw syntax(source, token.pos);
    }
  };
  const property = (): string => {
    const token = take();
    if (token.kind !== 'word' || !properties.includes(token.text)) {
      throw new GraphHttpError(
        400,
        'Request_UnsupportedQuery',
        `Unsupported or invalid query filter clause specified for property '${token.text}' of resource '${resource}'.`,
      );
    }
    return token.text;
  };
  const literal = (): Literal => {
    const token = take();
    if (token.kind === 'string') {
      return token.text;
    }
    if (token.kind === 'word' && ['true', 'false', 'null'].includes(token.text)) {
      return token.text === 'null' ? null : token.text === 'true';
    }
    if (token.kind === 'word' && /^-?\d/.test(token.text)) {
      return Number(token.text);
    }
    throw syntax(source, token.pos);
  };
  type Test = (o: Record<string, unknown>) => boolean;
  const term = (): Test => {
    const token = take();
    const word = token.text.toLowerCase();
    if (token.text === '(') {
      const inner = or();
      expect(')');
      return inner;
    }
    if (word === 'not') {
      advanced = true;
      const inner = term();
      return o => !inner(o);
    }
    if (word === 'startswith' || word === 'endswith') {
      advanced ||= word === 'endswith';
      expect('(');
      const prop = property();
      expect(',');
      const value = String(literal()).toLowerCase();
      expect(')');
      return o => {
        const v = o[prop];
        return (
          typeof v === 'string' &&
          (word === 'startswith'
            ? v.toLowerCase().startsWith(value)
            : v.toLowerCase().endsWith(value))
        );
      };
    }
    index -= 1;
    const prop = property();
    const op = take().text.toLowerCase();
    if (op === 'in') {
      expect('(');
      const values: unknown[] = [norm(literal())];
      while (peek()?.text === ',') {
        take();
        values.push(norm(literal()));
      }
      expect(')');
      return o => values.includes(norm(o[prop] ?? null));
    }
    if (op !== 'eq' && op !== 'ne') {
      throw syntax(source, tokens[index - 1]?.pos ?? 0);
    }
    advanced ||= op === 'ne';
    const value = norm(literal());
    return o => (norm(o[prop] ?? null) === value) === (op === 'eq');
  };
  const and = (): Test => {
    let left = term();
    while (peek()?.text.toLowerCase() === 'and') {
      take();
      const l = left;
      const r = term();
      left = o => l(o) && r(o);
    }
    return left;
  };
  const or = (): Test => {
    let left = and();
    while (peek()?.text.toLowerCase() === 'or') {
      take();
      const l = left;
      const r = and();
      left = o => l(o) || r(o);
    }
    return left;
  };
  const test = or();
  if (index < tokens.length) {
    throw syntax(source, tokens[index]?.pos ?? 0);
  }
  return { test, advanced };
}
