/**
 * `GET /team/list` (bare array, sorted by alias) and `GET /v2/team/list` (paged envelope).
 *
 * @see /work/shared/reference/litellm-api.md §4.5, §9
 */
import { HttpException } from '../errors.js';
import { ok, type Route } from '../router.js';
import { keysOf } from '../store/key-store.js';
import { keyJson, teamJson } from '../store/rows-json.js';
import { allTeams, pageTeams, type TeamFilter } from '../store/team-store.js';
import { getUser } from '../store/user-store.js';
import type { SimTeam } from '../types.js';
import { createQueryReader } from '../validation/query.js';

const SORTABLE = ['team_id', 'team_alias', 'created_at'] as const;

const listTeamsV2: Route = {
  method: 'GET',
  path: '/v2/team/list',
  errorStyle: 'raw',
  handle({ db, query }) {
    const q = createQueryReader(query);
    const userId = q.str('user_id');
    const organizationId = q.str('organization_id');
    const teamId = q.str('team_id');
    const teamAlias = q.str('team_alias');
    const page = q.int('page', { fallback: 1, ge: 1 });
    const pageSize = q.int('page_size', { fallback: 10, ge: 1, le: 100 });
    const sortBy = q.str('sort_by');
    const sortOrder = (q.str('sort_order') ?? 'asc').toLowerCase();
    q.finish();

    const filter: TeamFilter = {
      teamId: teamId || undefined,
      aliasContains: teamAlias || undefined,
      organizationId: organizationId || undefined,
    };
    if (userId) {
      const user = getUser(db, userId);
      if (user === undefined) {
        throw new HttpException(404, { error: `User not found, passed user_id=${userId}` });
      }
      // Membership is read from the user's `teams`, not from `members_with_roles`.
      if (!teamId) {
        filter.teamIdIn = user.teams;
      } else if (!user.teams.includes(teamId)) {
        throw new HttpException(404, { error: `User is not a member of team_id=${teamId}` });
      }
    }
    // An unknown `sort_by` is ignored and a bad `sort_order` falls back to asc (no error).
    const column = SORTABLE.find(c => c === sortBy);
    const order = column
      ? {
          column: column === 'created_at' ? ('created_us' as const) : column,
          dir: sortOrder === 'desc' ? ('desc' as const) : ('asc' as const),
        }
      : { column: 'created_us' as const, dir: 'desc' as const };
    const { teams, total } = pageTeams(db, filter, order, pageSize, (page - 1) * pageSize);
    return ok({
      teams: teams.map(teamJson),
      total,
      page,
      page_size: pageSize,
      total_pages: Math.ceil(total / pageSize),
    });
  },
};

const listTeams: Route = {
  method: 'GET',
  path: '/team/list',
  errorStyle: 'raw',
  handle({ db, query }) {
    const q = createQueryReader(query);
    const userId = q.str('user_id');
    const organizationId = q.str('organization_id');
    q.finish();
    const teams = allTeams(db);
    // LiteLLM appends a team once per matching member, so duplicates repeat it.
    const selected = userId
      ? teams.flatMap(t => t.members_with_roles.filter(m => m.user_id === userId).map(() => t))
      : teams;
    const alias = (t: SimTeam) => t.team_alias ?? '';
    // Python's stable `sort(key=team_alias or "")`, then the organization filter.
    const wanted = organizationId === 'default_organization' ? null : organizationId;
    const rows = [...selected]
      .sort((a, b) => (alias(a) < alias(b) ? -1 : alias(a) > alias(b) ? 1 : 0))
      .filter(t => organizationId === undefined || t.organization_id === wanted)
      .map(t => ({
        ...teamJson(t),
        team_memberships: [],
        keys: keysOf(db, 'team_id', t.team_id).map(keyJson),
      }));
    return ok(rows);
  },
};

/** Team listing routes. */
export const teamListRoutes: readonly Route[] = [listTeamsV2, listTeams];
