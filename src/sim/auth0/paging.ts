/**
 * Auth0's two paging schemes. Offset: `page` (0-based) and `per_page` (max 100), with
 * `include_totals=true` wrapping the page as `{start, limit, length, total, <key>}` and a bare
 * array otherwise. Checkpoint: `take` (max 100) and `from` (the previous answer's `next`), for
 * role members, organizations and organization members — the only way past 1,000 entries.
 */
import type { SimResponse } from '../shared/http-io.js';
import type { CursorPaging, OffsetPaging } from '../shared/paging-faults.js';
import { withParam } from '../shared/paging-params.js';
import { errorAnswer } from './errors.js';

/** Largest `per_page` / `take`. */
export const maxPageSize = 100;

function intParam(query: URLSearchParams, name: string, fallback: number): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') {
    return fallback;
  }
  const n = Number(raw);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** One offset page of `items` under `key`; `cap` refuses pages past that many results. */
export function offsetPage(
  items: readonly unknown[],
  query: URLSearchParams,
  key: string,
  cap?: number,
): SimResponse {
  const page = intParam(query, 'page', 0);
  const perPage = intParam(query, 'per_page', 50);
  if (page === undefined || perPage === undefined || perPage > maxPageSize || perPage < 1) {
    return errorAnswer(
      400,
      `Query validation error: per_page must be between 1 and ${maxPageSize}`,
      'invalid_query_string',
    );
  }
  const start = page * perPage;
  if (cap !== undefined && start + perPage > cap) {
    // UNVERIFIED wording; the limit itself is documented (idp-apis.md §G "Users").
    return errorAnswer(
      400,
      `You can only page through the first ${cap} records. See https://auth0.com/docs/users/search/v3/view-search-results-by-page#limitation`,
      'invalid_paging',
    );
  }
  const slice = items.slice(start, start + perPage);
  if (query.get('include_totals') !== 'true') {
    return { status: 200, body: slice };
  }
  return {
    status: 200,
    body: { start, limit: perPage, length: slice.length, total: items.length, [key]: slice },
  };
}

/** True when the request uses checkpoint paging. */
export function isCheckpoint(query: URLSearchParams): boolean {
  return query.has('from') || query.has('take');
}

/** One checkpoint page: `next` (an opaque cursor) only while more remain. */
export function checkpointPage(
  items: readonly unknown[],
  query: URLSearchParams,
  key: string,
): SimResponse {
  const take = intParam(query, 'take', 50);
  const from = query.get('from');
  const start = from === null || from === '' ? 0 : decodeCursor(from);
  if (take === undefined || take < 1 || take > maxPageSize || start === undefined) {
    return errorAnswer(400, 'Query validation error: invalid from or take', 'invalid_query_string');
  }
  const slice = items.slice(start, start + take);
  const end = start + slice.length;
  return {
    status: 200,
    body: end < items.length ? { [key]: slice, next: encodeCursor(end) } : { [key]: slice },
  };
}

function encodeCursor(index: number): string {
  return Buffer.from(`cp:${index}`).toString('base64url');
}

function decodeCursor(cursor: string): number | undefined {
  const match = /^cp:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** The list field of a page body: the one array among Auth0's list keys, if any. */
function listKeyOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return undefined;
  }
  const record = body as Record<string, unknown>;
  return ['users', 'roles', 'organizations', 'members'].find(key => Array.isArray(record[key]));
}

/** The page with no items; a `length` (offset pages with totals) follows, `total` does not. */
function emptied(answer: SimResponse): SimResponse {
  if (Array.isArray(answer.body)) {
    return { ...answer, body: [] };
  }
  const key = listKeyOf(answer.body);
  if (key === undefined) {
    return answer;
  }
  const body = { ...(answer.body as Record<string, unknown>), [key]: [] };
  return { ...answer, body: 'length' in body ? { ...body, length: 0 } : body };
}

/** Checkpoint pages: `from` carries the previous answer's `next`. */
const checkpointPaging: CursorPaging = {
  scheme: 'cursor',
  sizeParam: 'take',
  cursorOf: url => url.searchParams.get('from') ?? undefined,
  withCursor: (url, cursor) => withParam(url, 'from', cursor),
  nextOf: answer => {
    if (answer.status !== 200 || listKeyOf(answer.body) === undefined) {
      return null;
    }
    const next = (answer.body as { next?: unknown }).next;
    return typeof next === 'string' ? next : undefined;
  },
  linkTo: (answer, cursor) => ({
    ...answer,
    body: { ...(answer.body as Record<string, unknown>), next: cursor },
  }),
  emptied: answer => emptied(answer as SimResponse),
};

/** Offset pages: `page` counts pages of `per_page`. */
const offsetPaging: OffsetPaging = {
  scheme: 'offset',
  positionOf: url => {
    const page = Number(url.searchParams.get('page') ?? 0);
    return Number.isInteger(page) && page >= 0 ? { offset: page, step: 1 } : undefined;
  },
  withOffset: (url, offset) => withParam(url, 'page', String(offset)),
  isPage: answer =>
    answer.status === 200 && (Array.isArray(answer.body) || listKeyOf(answer.body) !== undefined),
  emptied: answer => emptied(answer as SimResponse),
};

/** How the request pages, for the paging-fault layer; `undefined` when it does not. */
export function pagingOf(url: URL): CursorPaging | OffsetPaging | undefined {
  if (isCheckpoint(url.searchParams)) {
    return checkpointPaging;
  }
  const offset = url.searchParams.has('page') || url.searchParams.has('per_page');
  return offset ? offsetPaging : undefined;
}
