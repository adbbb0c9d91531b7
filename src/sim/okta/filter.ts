/**
 * Okta's `filter` / `search` expressions: comparisons joined by `and` / `or`, with parentheses,
 * e.g. `type eq "OKTA_GROUP" and (lastUpdated gt "2015-11-11T00:00:00.000Z" or
 * lastMembershipUpdated gt "2015-11-11T00:00:00.000Z")`. Each resource allows its own attributes
 * and operators; anything else is Okta's 400 E0000031.
 *
 * String equality ignores case (Okta logins and e-mails are case-insensitive; that `eq` does too
 * is UNVERIFIED against a real org). Timestamps compare as instants.
 *
 * @see /work/shared/reference/idp-apis.md §C "Endpoints"
 */
import { OktaError } from './errors.js';

/** How one attribute of a resource is read and compared. */
export type FilterAttribute<T> = {
  readonly kind: 'string' | 'timestamp';
  readonly get: (item: T) => string | null | undefined;
  /** Operators allowed on it (`eq` always). */
  readonly ops: readonly Operator[];
};

const operators = ['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'sw', 'co', 'pr'] as const;
type Operator = (typeof operators)[number];

type Token =
  | { kind: 'word'; text: string }
  | { kind: 'string'; text: string }
  | { kind: 'open' }
  | { kind: 'close' };

/** A compiled expression. */
export type Predicate<T> = (item: T) => boolean;

/**
 * Compiles `expression` against the attributes `schema` allows.
 *
 * @throws OktaError E0000031 for a syntax error, an unknown attribute or a disallowed operator
 */
export function compileFilter<T>(
  expression: string,
  schema: Readonly<Record<string, FilterAttribute<T>>>,
): Predicate<T> {
  const tokens = tokenize(expression);
  let position = 0;
  const peek = (): Token | undefined => tokens[position];
  const keyword = (word: string): boolean => {
    const token = peek();
    if (token?.kind === 'word' && token.text.toLowerCase() === word) {
      position += 1;
      return true;
    }
    return false;
  };

  const parseOr = (): Predicate<T> => {
    const parts = [parseAnd()];
    while (keyword('or')) {
      parts.push(parseAnd());
    }
    return parts.length === 1 ? (parts[0] as Predicate<T>) : item => parts.some(p => p(item));
  };
  const parseAnd = (): Predicate<T> => {
    const parts = [parseFactor()];
    while (keyword('and')) {
      parts.push(parseFactor());
    }
    return parts.length === 1 ? (parts[0] as Predicate<T>) : item => parts.every(p => p(item));
  };
  const parseFactor = (): Predicate<T> => {
    const token = peek();
    if (token?.kind === 'open') {
      position += 1;
      const inner = parseOr();
      if (peek()?.kind !== 'close') {
        throw invalid(expression, 'missing ")"');
      }
      position += 1;
      return inner;
    }
    return parseComparison();
  };
  const parseComparison = (): Predicate<T> => {
    const name = tokens[position];
    const op = tokens[position + 1];
    if (name?.kind !== 'word' || op?.kind !== 'word') {
      throw invalid(expression, 'expected "<attribute> <operator> <value>"');
    }
    const attribute = schema[name.text];
    const operator = op.text.toLowerCase() as Operator;
    if (attribute === undefined) {
      throw invalid(expression, `unsupported attribute "${name.text}"`);
    }
    if (!operators.includes(operator) || (operator !== 'eq' && !attribute.ops.includes(operator))) {
      throw invalid(expression, `operator "${op.text}" is not supported for "${name.text}"`);
    }
    position += 2;
    if (operator === 'pr') {
      return item => {
        const value = attribute.get(item);
        return value !== null && value !== undefined && value !== '';
      };
    }
    const value = tokens[position];
    if (value?.kind !== 'string') {
      throw invalid(expression, `expected a quoted value after "${name.text} ${op.text}"`);
    }
    position += 1;
    return comparison(attribute, operator, value.text, expression);
  };

  const predicate = parseOr();
  if (position !== tokens.length) {
    throw invalid(expression, 'unexpected text after the expression');
  }
  return predicate;
}

function comparison<T>(
  attribute: FilterAttribute<T>,
  operator: Operator,
  expected: string,
  expression: string,
): Predicate<T> {
  if (attribute.kind === 'timestamp') {
    const instant = Date.parse(expected);
    if (Number.isNaN(instant)) {
      throw invalid(expression, `"${expected}" is not a timestamp`);
    }
    return item => {
      const raw = attribute.get(item);
      return raw !== null && raw !== undefined && compare(Date.parse(raw), instant, operator);
    };
  }
  const folded = expected.toLowerCase();
  return item => {
    const raw = attribute.get(item)?.toLowerCase();
    if (raw === undefined || raw === null) {
      return operator === 'ne';
    }
    switch (operator) {
      case 'sw':
        return raw.startsWith(folded);
      case 'co':
        return raw.includes(folded);
      default:
        return compare(raw, folded, operator);
    }
  };
}

function compare<V extends number | string>(actual: V, expected: V, operator: Operator): boolean {
  switch (operator) {
    case 'eq':
      return actual === expected;
    case 'ne':
      return actual !== expected;
    case 'gt':
      return actual > expected;
    case 'ge':
      return actual >= expected;
    case 'lt':
      return actual < expected;
    case 'le':
      return actual <= expected;
    default:
      return false;
  }
}

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < expression.length) {
    const char = expression[i] as string;
    if (/\s/.test(char)) {
      i += 1;
    } else if (char === '(' || char === ')') {
      tokens.push({ kind: char === '(' ? 'open' : 'close' });
      i += 1;
    } else if (char === '"') {
      let text = '';
      i += 1;
      while (i < expression.length && expression[i] !== '"') {
        // A backslash escapes the next character (a quote inside a value).
        text += expression[i] === '\\' ? (expression[++i] ?? '') : expression[i];
        i += 1;
      }
      if (i >= expression.length) {
        throw invalid(expression, 'unterminated string');
      }
      tokens.push({ kind: 'string', text });
      i += 1;
    } else {
      const match = /^[^\s()"]+/.exec(expression.slice(i));
      const text = match?.[0] ?? char;
      tokens.push({ kind: 'word', text });
      i += text.length;
    }
  }
  return tokens;
}

function invalid(expression: string, reason: string): OktaError {
  return new OktaError('E0000031', undefined, [`${reason} in "${expression}"`]);
}

/** The attributes a list endpoint's `filter` and `search` parameters accept. */
export type ListFilters<T> = {
  readonly filter: Readonly<Record<string, FilterAttribute<T>>>;
  readonly search: Readonly<Record<string, FilterAttribute<T>>>;
};

/**
 * `items` narrowed by the request's `filter`, or else by its `search` (only one applies, `filter`
 * first); `undefined` when the request has neither, so the endpoint picks its unfiltered list.
 *
 * @throws OktaError E0000031 for an expression `compileFilter` refuses
 */
export function filterOrSearch<T>(
  items: readonly T[],
  query: URLSearchParams,
  attributes: ListFilters<T>,
): T[] | undefined {
  const filter = query.get('filter');
  if (filter !== null) {
    return items.filter(compileFilter(filter, attributes.filter));
  }
  const search = query.get('search');
  return search === null ? undefined : items.filter(compileFilter(search, attributes.search));
}
