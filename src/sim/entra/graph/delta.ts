/**
 * `/users/delta` and `/groups/delta`: rounds of pages chained by `@odata.nextLink`
 * (`$skiptoken`) and closed by `@odata.deltaLink` (`$deltatoken`). Options of the first request
 * (`$select`, `$filter=id eq …`) live in the tokens. A large group's members spread over several
 * pages, repeating the group. `$deltatoken=latest` starts "from now". Tokens older than 7 days
 * answer 400 `syncStateNotFound`; a forced resync answers 410 Gone with a `Location` to restart.
 *
 * @see /work/shared/reference/idp-apis.md §A "Delta query details"
 */
import {
  GROUP_READ,
  contextUrl,
  ok,
  USER_READ,
  type GraphContext,
  type GraphRequest,
  type GraphRoute,
} from './context.js';
import { deltaItems, type DeltaItem, type MemberEntry, type Round } from './delta-items.js';
import { GraphHttpError, type SimResponse } from './errors.js';
import { param, parseSelect, refuseUnsupported } from './odata.js';
import { GROUP_PROPS, USER_PROPS } from './serialize.js';

type Resource = 'users' | 'groups';
type Cursor = { id: string; m: string | null };
type TokenState = { r: Resource; g: number; sel: string[] | null; ids: string[] | null };
type DeltaToken = TokenState & { t: 'd'; s: number; i: number };
type SkipToken = TokenState & { t: 's'; f: number | null; to: number; c: Cursor };

/** Directory delta tokens live 7 days (delta-query-overview.md "Token duration"). */
const TOKEN_LIFETIME_MS = 7 * 86_400_000;

/** `$filter=id eq '…' or id eq '…'` (the only filter delta supports, up to 50 ids). */
function idScope(raw: string | null): string[] | null {
  if (raw === null || raw.trim() === '') {
    return null;
  }
  const ids = raw.split(/\s+or\s+/i).map(part => /^\s*id\s+eq\s+'([^']+)'\s*$/i.exec(part)?.[1]);
  if (ids.some(id => id === undefined) || ids.length > 50) {
    throw new GraphHttpError(400, 'Request_UnsupportedQuery', 'Unsupported query.');
  }
  return ids.filter((id): id is string => id !== undefined);
}

function resyncRequired(ctx: GraphContext, state: TokenState): GraphHttpError {
  const select = state.sel ? `$select=${state.sel.join(',')}&` : '';
  return new GraphHttpError(
    410,
    'resyncRequired',
    'The delta token is no longer valid, and the app must reset the sync state.',
    {
      location: `${ctx.graphBase}/${state.r}/delta?${select}$deltatoken=`,
    },
  );
}

function decode<T extends { t: string; r: Resource; g: number }>(
  ctx: GraphContext,
  raw: string,
  kind: string,
  resource: Resource,
): T {
  const state = ctx.codec.decode(raw) as T | undefined;
  if (state?.t !== kind || state.r !== resource) {
    throw kind === 's'
      ? new GraphHttpError(
          400,
          'Directory_ExpiredPageToken',
          'The specified page token value has expired and can no longer be included in your request.',
        )
      : new GraphHttpError(400, 'Request_BadRequest', 'The delta token is not valid.');
  }
  if (state.g !== ctx.directory.log.generation()) {
    throw resyncRequired(ctx, state as unknown as TokenState);
  }
  return state;
}

function render(item: DeltaItem, members: readonly MemberEntry[] | null): unknown {
  if (!members || members.length === 0) {
    return item.body();
  }
  const entries = members.map(m => ({
    '@odata.type': `#microsoft.graph.${m.type}`,
    id: m.id,
    ...(m.removed ? { '@removed': { reason: 'deleted' } } : {}),
  }));
  return { ...item.body(), 'members@delta': entries };
}

/** Fills one page from `cursor` on, within the object and member budgets. */
function assemble(
  items: Iterable<DeltaItem>,
  cursor: Cursor | null,
  ctx: GraphContext,
): { value: unknown[]; next: Cursor | null } {
  const value: unknown[] = [];
  let budget = ctx.paging.deltaMembersPerPage;
  let last: string | null = null;
  for (const item of items) {
    const after = cursor !== null && item.id === cursor.id ? cursor.m : undefined;
    if (after === null) {
      continue; // finished on the previous page
    }
    if (last !== null && value.length >= ctx.paging.deltaPageSize) {
      return { value, next: { id: last, m: null } };
    }
    let members = item.members();
    if (after !== undefined) {
      members = (members ?? []).filter(m => m.id > after);
    }
    if (last !== null && members !== null && members.length > 0 && budget === 0) {
      return { value, next: { id: last, m: null } };
    }
    if (members !== null && members.length > budget) {
      const slice = members.slice(0, budget);
      value.push(render(item, slice));
      return { value, next: { id: item.id, m: slice.at(-1)?.id ?? null } };
    }
    value.push(render(item, members));
    budget -= members?.length ?? 0;
    last = item.id;
  }
  return { value, next: null };
}

function handleDelta(resource: Resource, req: GraphRequest, ctx: GraphContext): SimResponse {
  refuseUnsupported(req.query, ['$select', '$filter', '$deltatoken', '$skiptoken']);
  const { log } = ctx.directory;
  const props = resource === 'users' ? [...USER_PROPS] : [...GROUP_PROPS, 'members'];
  const requested = parseSelect(req.query, props, `microsoft.graph.${resource.slice(0, -1)}`);
  const minimal = /return=minimal/i.test(req.headers['prefer'] ?? '');
  const rawDelta = param(req.query, '$deltatoken');
  const rawSkip = param(req.query, '$skiptoken');
  let round: Round;
  let cursor: Cursor | null = null;
  if (rawSkip) {
    const skip = decode<SkipToken>(ctx, rawSkip, 's', resource);
    round = { resource, from: skip.f, to: skip.to, select: skip.sel, ids: skip.ids, minimal };
    cursor = skip.c;
  } else if (rawDelta === 'latest') {
    const token: DeltaToken = {
      t: 'd',
      r: resource,
      g: log.generation(),
      s: log.head(),
      i: ctx.now(),
      sel: requested,
      ids: idScope(param(req.query, '$filter')),
    };
    return ok({
      '@odata.context': contextUrl(ctx, resource, requested),
      '@odata.deltaLink': `${ctx.graphBase}/${resource}/delta?$deltatoken=${ctx.codec.encode(token)}`,
      value: [],
    });
  } else if (rawDelta) {
    const token = decode<DeltaToken>(ctx, rawDelta, 'd', resource);
    if (ctx.now() - token.i > TOKEN_LIFETIME_MS) {
      // Wording from the Graph team's announcement of the 7-day lifetime (devblogs, 2020-07-03).
      throw new GraphHttpError(
        400,
        'syncStateNotFound',
        'The sync state generation is not found. The delta token is expired and data must be synchronized again.',
      );
    }
    if (token.s < log.start()) {
      throw resyncRequired(ctx, token);
    }
    // A $select next to a deltaLink changes the tracked properties (delta-query-overview.md).
    round = {
      resource,
      from: token.s,
      to: log.head(),
      select: requested ?? token.sel,
      ids: token.ids,
      minimal,
    };
  } else {
    round = {
      resource,
      from: null,
      to: log.head(),
      select: requested,
      ids: idScope(param(req.query, '$filter')),
      minimal: false,
    };
  }
  const changes = round.from === null ? [] : log.between(round.from, round.to);
  const items = deltaItems(ctx.directory.state, changes, round, cursor?.id ?? '');
  const { value, next } = assemble(items, cursor, ctx);
  const state: TokenState = { r: resource, g: log.generation(), sel: round.select, ids: round.ids };
  const body: Record<string, unknown> = {
    '@odata.context': contextUrl(ctx, resource, round.select),
  };
  if (next) {
    const skip: SkipToken = { ...state, t: 's', f: round.from, to: round.to, c: next };
    body['@odata.nextLink'] =
      `${ctx.graphBase}/${resource}/delta?$skiptoken=${ctx.codec.encode(skip)}`;
  } else {
    const delta: DeltaToken = { ...state, t: 'd', s: round.to, i: ctx.now() };
    body['@odata.deltaLink'] =
      `${ctx.graphBase}/${resource}/delta?$deltatoken=${ctx.codec.encode(delta)}`;
  }
  body['value'] = value;
  return {
    status: 200,
    body,
    headers: minimal && round.from !== null ? { 'preference-applied': 'return=minimal' } : {},
  };
}

function deltaRoute(resource: Resource, pattern: string): GraphRoute {
  return {
    method: 'GET',
    pattern,
    cost: 1,
    roles: resource === 'users' ? USER_READ : GROUP_READ,
    handle: (req, ctx) => handleDelta(resource, req, ctx),
  };
}

/** Delta routes, also under the fully qualified `microsoft.graph.delta` name SDKs use. */
export const deltaRoutes: readonly GraphRoute[] = [
  deltaRoute('users', '/users/delta'),
  deltaRoute('users', '/users/microsoft.graph.delta'),
  deltaRoute('groups', '/groups/delta'),
  deltaRoute('groups', '/groups/microsoft.graph.delta'),
];
