/**
 * The two routes every directory collection serves in the same way: the list (`$filter`,
 * `$select`, `$top`, `$count`, paging) and the get by id (`$select` only).
 */
import type { DirectoryState } from '../directory/state.js';
import { contextUrl, listContext, ok, type GraphRoute } from './context.js';
import { notFound } from './errors.js';
import { parseListQuery, parseSelect, refuseUnsupported, type ListSpec } from './odata.js';
import { listPage } from './paging.js';
import { project } from './serialize.js';

/** How one kind of directory object is queried and put on the wire. */
export type ObjectKind<T> = {
  spec: ListSpec;
  /** Entity set named in `@odata.context`, e.g. `users`. */
  entitySet: string;
  /** The object with every known property (what `$filter` and `$select` see). */
  record: (item: T) => Record<string, unknown>;
  /** Properties returned without `$select`. */
  defaults: readonly string[];
};

/** Where a route lives and what it takes (see `GraphRoute`). */
type RouteBase = Pick<GraphRoute, 'pattern' | 'cost' | 'roles'>;

/** The `GraphRoute` fields of a GET route, without the caller's extras. */
function getOnly({ pattern, cost, roles }: RouteBase): Omit<GraphRoute, 'handle'> {
  return { method: 'GET', pattern, cost, roles };
}

/** `item`, or Graph's 404 for `id` when there is none. */
export function orNotFound<T>(item: T | undefined, id: string): T {
  if (item === undefined) {
    throw notFound(id);
  }
  return item;
}

/**
 * A list of `items` (sorted by id), narrowed by `$filter` and paged. `defaults` overrides the
 * kind's default properties (deleted items also show `deletedDateTime`).
 */
export function listRoute<T extends { id: string }>(
  kind: ObjectKind<T>,
  route: RouteBase & {
    items: (state: DirectoryState) => readonly T[];
    defaults?: readonly string[];
  },
): GraphRoute {
  const defaults = route.defaults ?? kind.defaults;
  return {
    ...getOnly(route),
    handle: (req, ctx) => {
      const q = parseListQuery(req.query, req.headers, kind.spec);
      const items = route
        .items(ctx.directory.state)
        .filter(item => !q.filter || q.filter.test(kind.record(item)));
      return ok(
        listPage(items, q, listContext(req, ctx, kind.entitySet, q.select), item =>
          project(kind.record(item), q.select, defaults),
        ),
      );
    },
  };
}

/** One object by the `{id}` of the pattern, as `find` resolves it. */
export function getRoute<T>(
  kind: ObjectKind<T>,
  route: RouteBase & { find: (state: DirectoryState, id: string) => T | undefined },
): GraphRoute {
  return {
    ...getOnly(route),
    handle: (req, ctx) => {
      refuseUnsupported(req.query, ['$select']);
      const id = req.params['id'] ?? '';
      const item = orNotFound(route.find(ctx.directory.state, id), id);
      const select = parseSelect(req.query, kind.spec.props, kind.spec.type);
      return ok({
        '@odata.context': `${contextUrl(ctx, kind.entitySet, select)}/$entity`,
        ...project(kind.record(item), select, kind.defaults),
      });
    },
  };
}
