/**
 * Server-side paging: opaque, tamper-evident state tokens (`$skiptoken`, `$deltatoken`) and list
 * pages with an absolute `@odata.nextLink` that repeats the original options, to be followed
 * verbatim (reference idp-apis.md §A "Paging"). Pages are keyset-based (ids ascending), so
 * objects added or removed between pages never shift the rest of the list.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

import type { CursorPaging } from '../../shared/paging-faults.js';
import { withParam } from '../../shared/paging-params.js';
import { GraphHttpError } from './errors.js';
import type { ListQuery } from './odata.js';

/** Encodes state into opaque tokens and back. */
export type TokenCodec = {
  encode(payload: unknown): string;
  /** The payload, or undefined when the token is malformed or was not issued by this codec. */
  decode(token: string): unknown;
};

/** Creates a codec signing tokens with `secret`. */
export function createTokenCodec(secret: Buffer): TokenCodec {
  const mac = (data: string): Buffer =>
    createHmac('sha256', secret).update(data).digest().subarray(0, 16);
  return {
    encode: payload => {
      const data = Buffer.from(JSON.stringify(payload)).toString('base64url');
      return `${data}.${mac(data).toString('base64url')}`;
    },
    decode: token => {
      const [data = '', signature = ''] = token.split('.');
      const given = Buffer.from(signature, 'base64url');
      const expected = mac(data);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        return undefined;
      }
      try {
        return JSON.parse(Buffer.from(data, 'base64url').toString('utf8')) as unknown;
      } catch {
        return undefined;
      }
    },
  };
}

/** The query string of a follow-up link: the original options (minus state tokens) plus `extra`. */
export function followQuery(query: URLSearchParams, extra: Record<string, string>): string {
  const parts: string[] = [];
  for (const [key, value] of query) {
    if (!['$skiptoken', '$deltatoken'].includes(key.toLowerCase())) {
      parts.push(`${key}=${encodeURIComponent(value)}`);
    }
  }
  for (const [key, value] of Object.entries(extra)) {
    parts.push(`${key}=${encodeURIComponent(value)}`);
  }
  return parts.join('&');
}

/** Where a list page lives. */
export type ListContext = {
  /** Public Graph base, e.g. `https://127.0.0.1:4100/v1.0`. */
  graphBase: string;
  /** Path after the version, e.g. `/groups/{id}/members`. */
  path: string;
  query: URLSearchParams;
  codec: TokenCodec;
  /** `@odata.context` value. */
  context: string;
};

const expiredPageToken = (): GraphHttpError =>
  new GraphHttpError(
    400,
    'Directory_ExpiredPageToken',
    'The specified page token value has expired and can no longer be included in your request.',
  );

/** First index whose id sorts after `after` (items are sorted by id). */
function startIndex(items: readonly { id: string }[], after: string): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((items[mid]?.id ?? '') <= after) {
      low = mid + 1;
    } else {
      high = mid;
    }
  }
  return low;
}

/**
 * One page of `items` (sorted by id, already filtered) rendered with `render`.
 *
 * @throws GraphHttpError 400 `Directory_ExpiredPageToken` for a foreign or corrupt `$skiptoken`
 */
export function listPage<T extends { id: string }>(
  items: readonly T[],
  query: ListQuery,
  ctx: ListContext,
  render: (item: T) => unknown,
): Record<string, unknown> {
  let start = 0;
  if (query.skiptoken !== null) {
    const state = ctx.codec.decode(query.skiptoken) as { p?: unknown; a?: unknown } | undefined;
    if (state?.p !== ctx.path || typeof state.a !== 'string') {
      throw expiredPageToken();
    }
    start = startIndex(items, state.a);
  }
  const page = items.slice(start, start + query.top);
  const last = page.at(-1);
  const body: Record<string, unknown> = { '@odata.context': ctx.context };
  if (query.count) {
    body['@odata.count'] = items.length;
  }
  if (last && start + page.length < items.length) {
    const token = ctx.codec.encode({ p: ctx.path, a: last.id });
    body['@odata.nextLink'] =
      `${ctx.graphBase}${ctx.path}?${followQuery(ctx.query, { $skiptoken: token })}`;
  }
  body['value'] = page.map(render);
  return body;
}

/**
 * Graph's list paging as the paging-fault layer sees it: the `$skiptoken` cursor sits in an
 * absolute `@odata.nextLink` under `graphBase()` (read per call: the base is known only once the
 * server listens), and a page is `{ value: [...] }`.
 */
export function graphPaging(graphBase: () => string): CursorPaging {
  return {
    scheme: 'cursor',
    sizeParam: '$top',
    cursorOf: url => url.searchParams.get('$skiptoken') ?? undefined,
    withCursor: (url, cursor) => withParam(url, '$skiptoken', cursor),
    nextOf: answer => {
      const body = answer.body as { value?: unknown; '@odata.nextLink'?: unknown } | null;
      if (answer.status !== 200 || !Array.isArray(body?.value)) {
        return null;
      }
      const next = body['@odata.nextLink'];
      return typeof next === 'string'
        ? (new URL(next).searchParams.get('$skiptoken') ?? undefined)
        : undefined;
    },
    linkTo: (answer, cursor, url) => {
      const path = url.pathname.slice('/v1.0'.length);
      const link = `${graphBase()}${path}?${followQuery(url.searchParams, { $skiptoken: cursor })}`;
      return {
        ...answer,
        body: { ...(answer.body as Record<string, unknown>), '@odata.nextLink': link },
      };
    },
    emptied: answer => ({
      ...answer,
      body: { ...(answer.body as Record<string, unknown>), value: [] },
    }),
  };
}
