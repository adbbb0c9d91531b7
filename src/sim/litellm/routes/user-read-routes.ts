/**
 * `GET /user/info` and `GET /user/list` (internal_user_endpoints.py @00025c84).
 *
 * @see /work/shared/reference/litellm-api.md §5.3, §5.4
 */
import type { SimDb } from '../db.js';
import { HttpException } from '../errors.js';
import { ok, type Route } from '../router.js';
import { allKeys, countUserKeys, keysOf, UI_SESSION_TEAM_ID } from '../store/key-store.js';
import { keyJson, teamJson, userJson } from '../store/rows-json.js';
import type { SortDir } from '../store/sql.js';
import { allTeams, teamsByIds } from '../store/team-store.js';
import { getUser, pageUsers, type UserFilter, type UserSortColumn } from '../store/user-store.js';
import type { SimKey, SimTeam } from '../types.js';
import { createQueryReader } from '../validation/query.js';

const USER_SORT = ['user_id', 'user_email', 'created_at', 'spend', 'user_alias', 'user_role'];

function byAlias(a: SimTeam, b: SimTeam): number {
  const x = a.team_alias ?? '';
  const y = b.team_alias ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

/** `_process_keys_for_user_info`: no UI session keys; `team_alias` added ("None" without a team). */
function keysWithAlias(keys: readonly SimKey[], teams: readonly SimTeam[]): unknown[] {
  return keys
    .filter(k => k.team_id !== UI_SESSION_TEAM_ID)
    .map(k => ({
      ...keyJson(k),
      team_alias:
        k.team_id === null
          ? 'None'
          : (teams.find(t => t.team_id === k.team_id)?.team_alias ?? null),
    }));
}

/** `get_user_id_from_request`: re-reads `user_id` from the raw query so `+` survives. */
function rawUserId(rawQuery: string): string | undefined {
  const match = /user_id=([^&]*)/.exec(rawQuery);
  const decoded = match?.[1] === undefined ? undefined : decodeURIComponent(match[1]);
  // eslint-disable-next-line no-control-regex -- LiteLLM rejects ids with control characters.
  return decoded !== undefined && decoded.length <= 512 && !/[\x00-\x1f]/.test(decoded)
    ? decoded
    : undefined;
}

function teamsOfUser(db: SimDb, userId: string, userTeams: readonly string[]) {
  // `list_team(user_id)`: teams naming the user in members_with_roles (with keys) ...
  const listed = allTeams(db).filter(t => t.members_with_roles.some(m => m.user_id === userId));
  const ids = new Set(listed.map(t => t.team_id));
  // ... plus the teams in the user's own `teams` that were not listed.
  const extra = teamsByIds(db, userTeams).filter(t => !ids.has(t.team_id));
  const rows = [...listed, ...extra].sort(byAlias).map(t =>
    ids.has(t.team_id)
      ? {
          ...teamJson(t),
          team_memberships: [],
          keys: keysOf(db, 'team_id', t.team_id).map(keyJson),
        }
      : teamJson(t),
  );
  return { rows, listed };
}

const userInfo: Route = {
  method: 'GET',
  path: '/user/info',
  errorStyle: 'proxy',
  handle({ db, query, rawQuery, caller }) {
    const q = createQueryReader(query);
    let userId = q.str('user_id');
    q.finish();
    if (userId !== undefined && userId.includes(' ')) {
      userId = rawUserId(rawQuery);
    }
    if (userId === undefined && caller.role === 'proxy_admin') {
      // The admin view: every team and every key.
      const teams = allTeams(db).sort(byAlias);
      const admin = caller.userId === null ? undefined : getUser(db, caller.userId);
      return ok({
        user_id: caller.userId,
        user_info: admin ? userJson(admin) : null,
        keys: keysWithAlias(allKeys(db), teams),
        teams: teams.map(teamJson),
      });
    }
    const id = userId ?? caller.userId;
    const user = id === null ? undefined : getUser(db, id);
    if (user === undefined) {
      throw new HttpException(404, `User ${id ?? 'None'} not found`);
    }
    const { rows, listed } = teamsOfUser(db, user.user_id, user.teams);
    return ok({
      user_id: user.user_id,
      user_info: userJson(user),
      keys: keysWithAlias(keysOf(db, 'user_id', user.user_id), listed),
      teams: rows,
    });
  },
};

/** Comma-separated values, trimmed, empties dropped. */
function csv(value: string): string[] {
  return value
    .split(',')
    .map(v => v.trim())
    .filter(v => v !== '');
}

const listUsers: Route = {
  method: 'GET',
  path: '/user/list',
  errorStyle: 'raw',
  handle({ db, query }) {
    const q = createQueryReader(query);
    const role = q.str('role');
    const userIds = q.str('user_ids');
    const ssoUserIds = q.str('sso_user_ids');
    const userEmail = q.str('user_email');
    const team = q.str('team');
    const page = q.int('page', { fallback: 1, ge: 1 });
    const pageSize = q.int('page_size', { fallback: 25, ge: 1, le: 100 });
    const sortBy = q.str('sort_by');
    const sortOrder = q.str('sort_order') ?? 'asc';
    const organizationIds = q.str('organization_ids');
    q.finish();

    const ids = userIds ? csv(userIds) : [];
    const filter: UserFilter = {
      role: role || undefined,
      // One id is a case-insensitive substring match, several are an exact `in`.
      userIdContains: ids.length === 1 ? ids[0] : undefined,
      userIdIn: ids.length > 1 ? ids : undefined,
      emailContains: userEmail,
      team,
      ssoIn: ssoUserIds !== undefined ? csv(ssoUserIds) : undefined,
    };
    if (organizationIds && csv(organizationIds).length > 0) {
      // No organization memberships exist in the simulator, so an org filter matches nobody.
      filter.userIdIn = [];
    }
    let order: { column: UserSortColumn; dir: SortDir } = { column: 'created_us', dir: 'desc' };
    if (sortBy !== undefined) {
      if (!USER_SORT.includes(sortBy)) {
        const error = `Invalid sort column. Must be one of: ${USER_SORT.join(', ')}`;
        throw new HttpException(400, { error });
      }
      const dir = sortOrder.toLowerCase();
      if (dir !== 'asc' && dir !== 'desc') {
        throw new HttpException(400, { error: "Invalid sort order. Must be 'asc' or 'desc'" });
      }
      order = { column: (sortBy === 'created_at' ? 'created_us' : sortBy) as UserSortColumn, dir };
    }
    const { users, total } = pageUsers(db, filter, order, pageSize, (page - 1) * pageSize);
    return ok({
      users: users.map(u => ({ ...userJson(u), key_count: countUserKeys(db, u.user_id) })),
      total,
      page,
      page_size: pageSize,
      total_pages: Math.ceil(total / pageSize),
    });
  },
};

/** User read routes. */
export const userReadRoutes: readonly Route[] = [userInfo, listUsers];
