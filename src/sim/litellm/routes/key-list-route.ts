/**
 * `GET /key/list`: `page` / `size` paging, exact filters, hashes or full objects.
 *
 * @see /work/shared/reference/litellm-api.md §6.1, §9
 */
import { HttpException } from '../errors.js';
import { ok, type Route } from '../router.js';
import { pageKeys, type KeyFilter, type KeySortColumn } from '../store/key-store.js';
import { keyJson, userJson } from '../store/rows-json.js';
import { getUser } from '../store/user-store.js';
import type { SortDir } from '../store/sql.js';
import { createQueryReader } from '../validation/query.js';

const KEY_SORT = ['spend', 'max_budget', 'created_at', 'updated_at', 'token', 'key_alias'];

function sortOrder(
  sortBy: string | undefined,
  order: string,
): { column: KeySortColumn; dir: SortDir } | undefined {
  if (sortBy === undefined) {
    return undefined;
  }
  if (!KEY_SORT.includes(sortBy)) {
    const error = `Invalid sort column. Must be one of: ${KEY_SORT.join(', ')}`;
    throw new HttpException(400, { error });
  }
  const dir = order.toLowerCase();
  if (dir !== 'asc' && dir !== 'desc') {
    throw new HttpException(400, { error: "Invalid sort order. Must be 'asc' or 'desc'" });
  }
  const column = sortBy.replace(/_at$/, '_us') as KeySortColumn;
  return { column, dir };
}

const listKeys: Route = {
  method: 'GET',
  path: '/key/list',
  errorStyle: 'proxy',
  handle({ db, query }) {
    const q = createQueryReader(query);
    const page = q.int('page', { fallback: 1, ge: 1 });
    const size = q.int('size', { fallback: 10, ge: 1, le: 100 });
    const filter: KeyFilter = {
      userId: q.str('user_id') || undefined,
      teamId: q.str('team_id') || undefined,
      keyAlias: q.str('key_alias') || undefined,
      token: q.str('key_hash') || undefined,
    };
    const organizationId = q.str('organization_id');
    const fullObject = q.bool('return_full_object', false);
    q.bool('include_team_keys', false);
    q.bool('include_created_by_keys', false);
    const sortBy = q.str('sort_by');
    const order = q.str('sort_order') ?? 'desc';
    const expand = q.all('expand') ?? [];
    const status = q.str('status');
    q.finish();
    if (status !== undefined && status !== 'deleted') {
      const error = "Invalid status value. Currently only 'deleted' is supported.";
      throw new HttpException(400, { error });
    }
    const sort = sortOrder(sortBy, order);
    // No key belongs to an organization here, and the deleted-keys audit table is not simulated:
    // both queries have nothing to return.
    const empty = Boolean(organizationId) || status === 'deleted';
    const { keys, total } = empty
      ? { keys: [], total: 0 }
      : pageKeys(db, filter, sort, size, (page - 1) * size);
    const withUser = expand.includes('user');
    return ok({
      keys: keys.map(k => {
        if (!fullObject && !withUser) {
          return k.token;
        }
        const user = withUser && k.user_id !== null ? getUser(db, k.user_id) : undefined;
        return user ? { ...keyJson(k), user: userJson(user) } : keyJson(k);
      }),
      total_count: total,
      current_page: page,
      total_pages: Math.ceil(total / size),
    });
  },
};

/** The key listing route. */
export const keyListRoutes: readonly Route[] = [listKeys];
