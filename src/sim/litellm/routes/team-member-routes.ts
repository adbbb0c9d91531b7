/**
 * `/team/member_add` and `/team/member_delete`, in LiteLLM's order of checks.
 *
 * @see /work/shared/reference/litellm-api.md §4.6, §4.7
 */
import type { SimDb } from '../db.js';
import { HttpException } from '../errors.js';
import { addMembersToTeam, checkAdminAdd, checkDuplicates, removeMember } from '../membership.js';
import { ok, type Route } from '../router.js';
import {
  memberAddSchema,
  memberDeleteSchema,
  type MemberRequest,
} from '../schemas/team-schemas.js';
import { teamJson, userJson } from '../store/rows-json.js';
import { getTeam } from '../store/team-store.js';
import type { SimTeam, SimUser } from '../types.js';
import { parseBody } from '../validation/body.js';

/**
 * The body of `team_member_add` after validation: premium check, team lookup, duplicate check,
 * then the upserts. Also used by `/user/new` for its `teams`.
 */
export function teamMemberAdd(
  db: SimDb,
  premium: boolean,
  teamId: string,
  member: MemberRequest | MemberRequest[],
): { team: SimTeam; users: SimUser[] } {
  checkAdminAdd(member, premium);
  const team = getTeam(db, teamId);
  if (team === undefined) {
    throw new HttpException(404, { error: `Team not found for team_id=${teamId}` });
  }
  checkDuplicates(team, member);
  return addMembersToTeam(db, team, member);
}

const memberAdd: Route = {
  method: 'POST',
  path: '/team/member_add',
  errorStyle: 'raw',
  handle({ db, body, settings }) {
    const data = parseBody(memberAddSchema, body);
    const { team, users } = teamMemberAdd(db, settings.premium, data.team_id, data.member);
    return ok({
      ...teamJson(team),
      updated_users: users.map(userJson),
      updated_team_memberships: [],
    });
  },
};

const memberDelete: Route = {
  method: 'POST',
  path: '/team/member_delete',
  errorStyle: 'raw',
  handle({ db, body }) {
    const data = parseBody(memberDeleteSchema, body);
    const team = getTeam(db, data.team_id);
    if (team === undefined) {
      // 400, not 404, in LiteLLM.
      throw new HttpException(400, { error: `Team id=${data.team_id} does not exist in db` });
    }
    return ok(teamJson(removeMember(db, team, data)));
  },
};

/** Team membership routes. */
export const teamMemberRoutes: readonly Route[] = [memberAdd, memberDelete];
