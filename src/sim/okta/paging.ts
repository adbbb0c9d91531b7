/**
 * Okta's cursor paging: `limit` and an opaque `after` cursor (here: the id of the last item of the
 * previous page, which survives inserts and deletes between pages), answered with one `Link`
 * header per relation — `rel="self"` always, `rel="next"` while more remain — each an absolute
 * URL under the org URL that the SDK requests verbatim.
 *
 * @see /work/shared/reference/idp-apis.md §C "Paging"
 */
import type { CursorPaging } from '../shared/paging-faults.js';
import { withParam } from '../shared/paging-params.js';
import type { SimResponse } from './errors.js';

/** Paging limits of one list endpoint. */
export type PageLimits = { readonly defaultLimit: number; readonly maxLimit: number };

/** One page of a list and the `Link` header values that go with it. */
export type Page<T> = { readonly items: readonly T[]; readonly links: string[] };

/**
 * Cuts one page out of `items` (already in cursor order, keyed by `idOf`).
 *
 * A limit above the endpoint's maximum is lowered to it, and a missing or unparseable one takes
 * the default, as Okta does (UNVERIFIED: a real org may answer 400 for a non-numeric limit).
 */
export function pageOf<T>(
  items: readonly T[],
  idOf: (item: T) => string,
  requestUrl: URL,
  orgUrl: string,
  limits: PageLimits,
): Page<T> {
  const query = requestUrl.searchParams;
  const requested = Number.parseInt(query.get('limit') ?? '', 10);
  const limit =
    Number.isInteger(requested) && requested > 0
      ? Math.min(requested, limits.maxLimit)
      : limits.defaultLimit;
  const after = query.get('after');
  const start = after === null ? 0 : items.findIndex(item => idOf(item) > after);
  const from = start === -1 ? items.length : start;
  const slice = items.slice(from, from + limit);
  const links = [`<${linkUrl(requestUrl, orgUrl, query)}>; rel="self"`];
  const last = slice.at(-1);
  if (from + limit < items.length && last !== undefined) {
    const next = new URLSearchParams(query);
    next.set('after', idOf(last));
    next.set('limit', String(limit));
    links.push(`<${linkUrl(requestUrl, orgUrl, next)}>; rel="next"`);
  }
  return { items: slice, links };
}

function linkUrl(requestUrl: URL, orgUrl: string, query: URLSearchParams): string {
  const search = query.toString();
  return `${orgUrl}${requestUrl.pathname}${search === '' ? '' : `?${search}`}`;
}

/** Cursor order: by id, as the `after` cursor compares. */
export function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** How {@link okPage} cuts and renders a list. */
export type PageSpec<T> = {
  readonly idOf: (item: T) => string;
  readonly limits: PageLimits;
  readonly render: (item: T) => unknown;
};

/** A 200 answer with one page of `items` (see {@link pageOf}) and its `Link` headers. */
export function okPage<T>(
  items: readonly T[],
  request: { readonly url: URL; readonly orgUrl: string },
  spec: PageSpec<T>,
): SimResponse {
  const page = pageOf(items, spec.idOf, request.url, request.orgUrl, spec.limits);
  return { status: 200, body: page.items.map(spec.render), headers: { link: page.links } };
}

/** The `Link` header values of an answer, however many there are. */
function linksOf(answer: { headers?: Record<string, string | string[]> }): string[] {
  const link = answer.headers?.['link'];
  return link === undefined ? [] : Array.isArray(link) ? link : [link];
}

/**
 * Okta's paging as the paging-fault layer sees it: the `after` cursor sits in the
 * `rel="next"` link (an absolute URL under `orgUrl`), and a page is a bare JSON array.
 */
export function oktaPaging(orgUrl: string): CursorPaging {
  return {
    scheme: 'cursor',
    sizeParam: 'limit',
    cursorOf: url => url.searchParams.get('after') ?? undefined,
    withCursor: (url, cursor) => withParam(url, 'after', cursor),
    nextOf: answer => {
      if (answer.status !== 200 || !Array.isArray(answer.body)) {
        return null;
      }
      const next = linksOf(answer).find(link => link.endsWith('rel="next"'));
      const target = next === undefined ? undefined : /^<([^>]*)>/.exec(next)?.[1];
      return target === undefined
        ? undefined
        : (new URL(target).searchParams.get('after') ?? undefined);
    },
    linkTo: (answer, cursor, url) => {
      const query = new URLSearchParams(url.searchParams);
      query.set('after', cursor);
      const next = `<${linkUrl(url, orgUrl, query)}>; rel="next"`;
      const kept = linksOf(answer).filter(link => !link.endsWith('rel="next"'));
      return { ...answer, headers: { ...answer.headers, link: [...kept, next] } };
    },
    emptied: answer => ({ ...answer, body: [] }),
  };
}
