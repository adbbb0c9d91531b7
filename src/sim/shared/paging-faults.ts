/**
 * Paging faults: list answers that are well-formed but lead the client astray, which a fault
 * rule (it replaces the whole answer) cannot express.
 *
 * - `repeat-cursor`: the answer to the page at cursor C links to C again (a paging loop); on an
 *   offset list, the page at offset N holds the items of the page before it.
 * - `skip-page`: the answer to a page is the answer of the page after it, so one page of items
 *   never reaches the client (on an offset list: offset N serves offset N + step).
 * - `empty-page`: the answer holds no items but links to a page that does (legal in Graph and
 *   Okta, which may answer short or empty pages mid-list); on an offset list it is just empty,
 *   which a client reads as the end.
 *
 * The layer sits between a simulator's gates (auth, rate limit, fault rules) and its route
 * handler: it unwraps the cursors it made up itself, caps page sizes, and rewrites answers through
 * a vendor's {@link CursorPaging} or {@link OffsetPaging} description.
 */
import { z } from 'zod';

import type { SimResponse } from './http-io.js';

/** The ways a list page can mislead; see the module comment. */
export const pagingFaultKinds = ['repeat-cursor', 'skip-page', 'empty-page'] as const;

/** One of {@link pagingFaultKinds}. */
export type PagingFaultKind = (typeof pagingFaultKinds)[number];

/** A paging fault aimed at the list pages under a path. */
export type PagingFault = {
  readonly kind: PagingFaultKind;
  /** Path without query, or a prefix ending in `*`, as `FaultRule.path` (any list when absent). */
  readonly path?: string | undefined;
  /** Fire at most this many times (without end when absent). */
  readonly times?: number | undefined;
  /** Let this many faultable pages through before firing. */
  readonly afterPages?: number | undefined;
  /**
   * Serve at most this many items per page of a cursor-paged list, so that a small directory
   * still spans pages. Offset lists are left alone: their clients take a short page for the end.
   */
  readonly pageSize?: number | undefined;
};

/** Validates the body of `POST /__sim/paging-fault`. */
export const pagingFaultSchema = z.object({
  kind: z.enum(pagingFaultKinds),
  path: z.string().optional(),
  times: z.int().min(0).optional(),
  afterPages: z.int().min(0).optional(),
  pageSize: z.int().min(1).optional(),
}) satisfies z.ZodType<PagingFault>;

/** How a vendor's cursor paging looks on the wire. */
export type CursorPaging = {
  readonly scheme: 'cursor';
  /** Query parameter of the page size (`$top`, `limit`, `maxResults`, `take`). */
  readonly sizeParam: string;
  /** The cursor the request carries, if any. */
  cursorOf(url: URL): string | undefined;
  /** The same request at another cursor (`undefined`: the first page). */
  withCursor(url: URL, cursor: string | undefined): URL;
  /** The cursor an answer links to: `undefined` on a last page, `null` when it is no list page. */
  nextOf(answer: SimResponse<string | string[]>): string | undefined | null;
  /** The answer linking to `cursor` instead (the request `url` it answers, for absolute links). */
  linkTo(
    answer: SimResponse<string | string[]>,
    cursor: string,
    url: URL,
  ): SimResponse<string | string[]>;
  /** The answer with no items, its links untouched. */
  emptied(answer: SimResponse<string | string[]>): SimResponse<string | string[]>;
};

/** How a vendor's offset paging looks on the wire. */
export type OffsetPaging = {
  readonly scheme: 'offset';
  /** Where the request starts and how far one page moves it; `undefined` for no list request. */
  positionOf(url: URL): { offset: number; step: number } | undefined;
  /** The same request at another offset. */
  withOffset(url: URL, offset: number): URL;
  /** True when the answer is a page of a list (not an error, not a single object). */
  isPage(answer: SimResponse<string | string[]>): boolean;
  /** The answer with no items (totals, where the vendor sends them, untouched). */
  emptied(answer: SimResponse<string | string[]>): SimResponse<string | string[]>;
};

/** A request through the route handler only (no gates, no counting). */
export type Serve<H extends string | string[]> = (
  url: URL,
) => SimResponse<H> | Promise<SimResponse<H>>;

/** One simulator's paging-fault knob. */
export type PagingFaults = {
  set(fault: PagingFault): void;
  clear(): void;
  /** How many times a paging fault fired since the simulator started. */
  fired(): number;
  /**
   * Serves a request through `serve`, faulted as the active fault says when `paging` describes
   * it (pass `undefined` for a request that is no list read).
   */
  serve<H extends string | string[]>(
    method: string,
    url: URL,
    paging: CursorPaging | OffsetPaging | undefined,
    serve: Serve<H>,
  ): Promise<SimResponse<H>>;
};

/** Prefix of the cursors the `empty-page` fault makes up; no vendor's cursor starts with it. */
const aliasPrefix = 'sim-empty.';

/** A fresh cursor meaning "the page at `cursor`" (`undefined`: the first page). */
function aliasOf(cursor: string | undefined, serial: number): string {
  const inner = Buffer.from(JSON.stringify(cursor ?? null)).toString('base64url');
  return `${aliasPrefix}${serial}.${inner}`;
}

/** The vendor cursor behind a made-up one; other cursors pass through. */
function unalias(cursor: string): string | undefined {
  if (!cursor.startsWith(aliasPrefix)) {
    return cursor;
  }
  const inner = cursor.slice(cursor.indexOf('.', aliasPrefix.length) + 1);
  const value = JSON.parse(Buffer.from(inner, 'base64url').toString('utf8')) as unknown;
  return typeof value === 'string' ? value : undefined;
}

function pathMatches(pattern: string | undefined, path: string): boolean {
  if (pattern === undefined) {
    return true;
  }
  return pattern.endsWith('*') ? path.startsWith(pattern.slice(0, -1)) : pattern === path;
}

/** Creates the knob; it starts with no fault, and then serves every request unchanged. */
export function createPagingFaults(): PagingFaults {
  let active: { fault: PagingFault; seen: number; fired: number } | undefined;
  let serial = 0;
  let firedTotal = 0;

  /** Whether the fault fires for this faultable page (its counts are updated). */
  const fires = (path: string): PagingFaultKind | undefined => {
    if (active === undefined || !pathMatches(active.fault.path, path)) {
      return undefined;
    }
    active.seen += 1;
    const { fault } = active;
    if (active.seen <= (fault.afterPages ?? 0)) {
      return undefined;
    }
    if (fault.times !== undefined && active.fired >= fault.times) {
      return undefined;
    }
    active.fired += 1;
    firedTotal += 1;
    return fault.kind;
  };

  const serveCursor = async <H extends string | string[]>(
    url: URL,
    paging: CursorPaging,
    serve: Serve<H>,
  ): Promise<SimResponse<H>> => {
    const asked = paging.cursorOf(url);
    let target = asked === undefined ? url : paging.withCursor(url, unalias(asked));
    const cap = active?.fault.pageSize;
    const size = Number(target.searchParams.get(paging.sizeParam) ?? Number.NaN);
    if (cap !== undefined && !(size <= cap)) {
      target = new URL(target);
      target.searchParams.set(paging.sizeParam, String(cap));
    }
    const answer = await serve(target);
    const next = paging.nextOf(answer);
    if (next === null) {
      return answer;
    }
    // Only pages a fault can change count towards `afterPages` and `times`.
    const canFire = (kind: PagingFaultKind | undefined) =>
      kind === 'empty-page' ||
      (kind === 'skip-page' && next !== undefined) ||
      (kind === 'repeat-cursor' && next !== undefined && asked !== undefined);
    if (!canFire(active?.fault.kind)) {
      return answer;
    }
    switch (fires(url.pathname)) {
      case 'empty-page':
        serial += 1;
        return paging.emptied(
          paging.linkTo(answer, aliasOf(paging.cursorOf(target), serial), target),
        ) as SimResponse<H>;
      case 'skip-page':
        return serve(paging.withCursor(target, next));
      case 'repeat-cursor':
        return paging.linkTo(answer, asked ?? '', target) as SimResponse<H>;
      default:
        return answer;
    }
  };

  const serveOffset = async <H extends string | string[]>(
    url: URL,
    paging: OffsetPaging,
    serve: Serve<H>,
  ): Promise<SimResponse<H>> => {
    const position = paging.positionOf(url);
    const kind = active?.fault.kind;
    // A first page has no page before it to repeat.
    if (position === undefined || (kind === 'repeat-cursor' && position.offset < position.step)) {
      return serve(url);
    }
    const answer = await serve(url);
    if (!paging.isPage(answer)) {
      return answer;
    }
    switch (fires(url.pathname)) {
      case 'empty-page':
        return paging.emptied(answer) as SimResponse<H>;
      case 'skip-page':
        return serve(paging.withOffset(url, position.offset + position.step));
      case 'repeat-cursor':
        return serve(paging.withOffset(url, position.offset - position.step));
      default:
        return answer;
    }
  };

  return {
    set: fault => {
      active = { fault, seen: 0, fired: 0 };
    },
    clear: () => {
      active = undefined;
    },
    fired: () => firedTotal,
    serve: async (method, url, paging, serve) => {
      if (method !== 'GET' || paging === undefined) {
        return serve(url);
      }
      // Cursors made up while a fault was active still resolve after it is cleared.
      return paging.scheme === 'cursor'
        ? serveCursor(url, paging, serve)
        : active === undefined
          ? serve(url)
          : serveOffset(url, paging, serve);
    },
  };
}
