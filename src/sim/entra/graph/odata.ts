/**
 * OData query options of directory list endpoints: `$select`, `$top` (1–999, Graph's own error
 * otherwise), `$filter`, `$count` (needs `ConsistencyLevel: eventual`), `$skiptoken`. Options the
 * simulator does not implement are refused loudly instead of being ignored.
 *
 * @see /work/shared/reference/idp-apis.md §A "Endpoints", "Paging"
 */
import { GraphHttpError } from './errors.js';
import { parseFilter, type Filter } from './filter.js';

/** Parsed list options. */
export type ListQuery = {
  select: string[] | null;
  top: number;
  filter: Filter | null;
  count: boolean;
  skiptoken: string | null;
};

/** How one list endpoint reads its options. */
export type ListSpec = {
  /** OData type for messages, e.g. `microsoft.graph.user`. */
  type: string;
  /** Resource name in filter errors, e.g. `User`. */
  resource: string;
  props: readonly string[];
  filterable: readonly string[];
  /** @defaultValue 100 */
  defaultTop?: number;
  /** @defaultValue 999 */
  maxTop?: number;
};

/** A query option by name, case-insensitively (`$deltaToken` and `$deltatoken` both occur). */
export function param(query: URLSearchParams, name: string): string | null {
  const wanted = name.toLowerCase();
  for (const [key, value] of query) {
    if (key.toLowerCase() === wanted) {
      return value;
    }
  }
  return null;
}

/** `$select` as a list, validated against `props`; null when absent. */
export function parseSelect(
  query: URLSearchParams,
  props: readonly string[],
  type: string,
): string[] | null {
  const raw = param(query, '$select');
  if (raw === null || raw.trim() === '') {
    return null;
  }
  const names = raw
    .split(',')
    .map(s => s.trim())
    .filter(Boolean);
  for (const name of names) {
    if (!props.includes(name)) {
      throw new GraphHttpError(
        400,
        'Request_BadRequest',
        `Could not find a property named '${name}' on type '${type}'.`,
      );
    }
  }
  return [...new Set(names)];
}

/** `$top` within 1..max, or `fallback` when absent. */
export function parseTop(query: URLSearchParams, fallback: number, max = 999): number {
  const raw = param(query, '$top');
  if (raw === null) {
    return fallback;
  }
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || value < 1 || value > max) {
    // Message as Graph sends it (reference §A, Q&A 1129204). The code and the fact that the same
    // 1–999 bound applies to /groups, member lists and appRoleAssignments (reference: UNVERIFIED
    // per endpoint) come from code search: turbot/steampipe-plugin-azuread documents the real
    // answer "400 ... Request_UnsupportedQuery: Invalid page size specified: '1000'" for its
    // groups and app-role-assignment tables. Defaults of 100 per page are assumed everywhere.
    throw new GraphHttpError(
      400,
      'Request_UnsupportedQuery',
      `Invalid page size specified: '${raw}'. Must be between 1 and ${max} inclusive.`,
    );
  }
  return value;
}

/** Refuses options this simulator does not implement rather than silently ignoring them. */
export function refuseUnsupported(query: URLSearchParams, allowed: readonly string[]): void {
  for (const key of query.keys()) {
    const lower = key.toLowerCase();
    if (lower === '$skip') {
      throw new GraphHttpError(
        400,
        'Request_BadRequest',
        "'$skip' is not supported by the service.",
      );
    }
    if (lower.startsWith('$') && !allowed.includes(lower)) {
      throw new GraphHttpError(
        501,
        'NotImplemented',
        `The query option '${key}' is not implemented by the Entra simulator.`,
      );
    }
  }
}

/** Parses the options of a directory list endpoint. */
export function parseListQuery(
  query: URLSearchParams,
  headers: Record<string, string>,
  spec: ListSpec,
): ListQuery {
  refuseUnsupported(query, ['$select', '$top', '$filter', '$count', '$skiptoken']);
  const eventual = (headers['consistencylevel'] ?? '').toLowerCase() === 'eventual';
  const count = (param(query, '$count') ?? '').toLowerCase() === 'true';
  // Message UNVERIFIED (recalled from Graph answers; not found in the searched corpora).
  if (count && !eventual) {
    throw new GraphHttpError(400, 'Request_BadRequest', '$count is not currently supported.');
  }
  const rawFilter = param(query, '$filter');
  const filter = rawFilter === null ? null : parseFilter(rawFilter, spec.resource, spec.filterable);
  if (filter?.advanced && !(eventual && count)) {
    // Advanced queries need both the header and $count=true (reference §A "Paging"); the exact
    // message of this refusal is UNVERIFIED.
    throw new GraphHttpError(
      400,
      'Request_UnsupportedQuery',
      'Unsupported query. Advanced query capabilities require the ConsistencyLevel header set to eventual and $count=true.',
    );
  }
  return {
    select: parseSelect(query, spec.props, spec.type),
    top: parseTop(query, spec.defaultTop ?? 100, spec.maxTop ?? 999),
    filter,
    count,
    skiptoken: param(query, '$skiptoken'),
  };
}
