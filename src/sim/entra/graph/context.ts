/**
 * The contract between the Graph pipeline and its route handlers: what a handler receives, what
 * it may read, and how a route declares its resource-unit cost and required permissions.
 */
import type { EntraDirectory } from '../directory/directory.js';
import type { SimResponse } from './errors.js';
import type { ListContext, TokenCodec } from './paging.js';

/** Page sizes of delta rounds. */
export type DeltaPaging = { deltaPageSize: number; deltaMembersPerPage: number };

/** Shared, long-lived things handlers read. */
export type GraphContext = {
  directory: EntraDirectory;
  codec: TokenCodec;
  /** Public Graph base including the version, e.g. `https://127.0.0.1:4100/v1.0`. */
  graphBase: string;
  now: () => number;
  paging: DeltaPaging;
};

/** One Graph request (top-level or inside `$batch`). */
export type GraphRequest = {
  method: string;
  /** Path after `/v1.0`, e.g. `/groups/abc/members`. */
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Lower-case header names. */
  headers: Record<string, string>;
};

/** One Graph endpoint. */
export type GraphRoute = {
  method: 'GET';
  /** Path after `/v1.0` with `{name}` placeholders, e.g. `/groups/{id}/members`. */
  pattern: string;
  /** Base resource-unit cost (reference §A throttling table; 1 when not listed). */
  cost: number;
  /** The call is allowed when the token has any of these application permissions. */
  roles: readonly string[];
  handle(request: GraphRequest, ctx: GraphContext): SimResponse;
};

/** Application permissions that allow reading users. */
export const USER_READ = [
  'User.Read.All',
  'User.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
];
/** Application permissions that allow reading groups and memberships. */
export const GROUP_READ = [
  'GroupMember.Read.All',
  'Group.Read.All',
  'Group.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
];
/** Application permissions that allow reading service principals and their assignments. */
export const APP_READ = [
  'Application.Read.All',
  'Application.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
];

/** A 200 JSON answer. */
export function ok(body: unknown): SimResponse {
  return { status: 200, body };
}

/** `@odata.context` for a collection, with the selected properties as Graph writes them. */
export function contextUrl(
  ctx: GraphContext,
  entitySet: string,
  select: readonly string[] | null,
): string {
  return `${ctx.graphBase}/$metadata#${entitySet}${select ? `(${select.join(',')})` : ''}`;
}

/** Where a list page of `request` lives, for `listPage`. */
export function listContext(
  request: GraphRequest,
  ctx: GraphContext,
  entitySet: string,
  select: readonly string[] | null,
): ListContext {
  return {
    graphBase: ctx.graphBase,
    path: request.path,
    query: request.query,
    codec: ctx.codec,
    context: contextUrl(ctx, entitySet, select),
  };
}
