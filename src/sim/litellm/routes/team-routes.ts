/**
 * `/team/new`, `/team/update`, `/team/info`, `/team/delete` (team_endpoints.py @1611cbc3).
 *
 * @see /work/shared/reference/litellm-api.md §4.1–4.4
 */
import { randomUUID } from 'node:crypto';

import { HttpException, NOT_PREMIUM_MESSAGE } from '../errors.js';
import { addMembersToTeam, forgetTeam } from '../membership.js';
import { ok, type Route } from '../router.js';
import {
  deleteTeamSchema,
  newTeamSchema,
  updateTeamSchema,
  type MemberRequest,
} from '../schemas/team-schemas.js';
import { deleteKeysOwnedBy, keysOf } from '../store/key-store.js';
import { keyJson, teamJson } from '../store/rows-json.js';
import {
  deleteTeams,
  getTeam,
  insertTeam,
  updateTeam,
  type TeamFields,
} from '../store/team-store.js';
import { parseBody } from '../validation/body.js';
import { createQueryReader } from '../validation/query.js';

/** Team fields LiteLLM moves into `metadata` and gates behind the enterprise licence. */
const PREMIUM_METADATA_FIELDS = ['tags', 'guardrails'] as const;

/**
 * `_set_object_metadata_field` / `_update_metadata_field` for the premium fields: 403 without a
 * licence (`_premium_user_check`, wording UNVERIFIED), else copied into `metadata`.
 */
function withPremiumFields(
  metadata: Record<string, unknown> | null | undefined,
  data: { tags?: unknown; guardrails?: unknown },
  premium: boolean,
): Record<string, unknown> | null | undefined {
  let out = metadata;
  for (const field of PREMIUM_METADATA_FIELDS) {
    const value = data[field];
    if (value === undefined || value === null) {
      continue;
    }
    if (!premium) {
      const error = `This feature is only available for LiteLLM Enterprise users: ${field}. ${NOT_PREMIUM_MESSAGE}`;
      throw new HttpException(403, { error });
    }
    out = { ...(out ?? {}), [field]: value };
  }
  return out;
}

const newTeam: Route = {
  method: 'POST',
  path: '/team/new',
  errorStyle: 'proxy',
  handle({ db, body, caller, settings }) {
    const data = parseBody(newTeamSchema, body);
    const teamId = data.team_id ?? randomUUID();
    if (getTeam(db, teamId) !== undefined) {
      const error = `Team id = ${teamId} already exists. Please use a different team id.`;
      throw new HttpException(400, { error });
    }
    if (data.organization_id !== null && data.organization_id !== undefined) {
      // The simulator has no organizations, so every id is unknown.
      throw new HttpException(
        400,
        `Organization not found for organization_id=${data.organization_id}`,
      );
    }
    const members: MemberRequest[] = [...data.members_with_roles];
    // LiteLLM appends the caller as team admin; the master key's caller is `default_user_id`.
    if (caller.userId !== null && !members.some(m => m.user_id === caller.userId)) {
      members.push({ user_id: caller.userId, user_email: null, role: 'admin' });
    }
    const fields: TeamFields = {
      team_alias: data.team_alias ?? null,
      organization_id: null,
      metadata: withPremiumFields(data.metadata ?? {}, data, settings.premium) ?? {},
      // Written empty first; members are added after the insert, exactly as LiteLLM does.
      members_with_roles: [],
      models: data.models,
      blocked: data.blocked,
      max_budget: data.max_budget ?? null,
      budget_duration: data.budget_duration ?? null,
      tpm_limit: data.tpm_limit ?? null,
      rpm_limit: data.rpm_limit ?? null,
    };
    const created = insertTeam(db, teamId, fields);
    addMembersToTeam(db, created, members);
    // LiteLLM returns the row captured before the members were added: `members_with_roles: []`.
    return ok(teamJson(created));
  },
};

const updateTeamRoute: Route = {
  method: 'POST',
  path: '/team/update',
  errorStyle: 'proxy',
  handle({ db, body, settings }) {
    const data = parseBody(updateTeamSchema, body);
    if (getTeam(db, data.team_id) === undefined) {
      throw new HttpException(404, { error: `Team not found, passed team_id=${data.team_id}` });
    }
    if (data.organization_id) {
      const error = `Organization not found, passed organization_id=${data.organization_id}`;
      throw new HttpException(404, { error });
    }
    // Only fields present in the body are written (`exclude_unset`). `models`/`blocked` are
    // non-nullable columns: a null there is skipped (Prisma would refuse it; UNVERIFIED).
    const patch: Partial<TeamFields> = {
      team_alias: data.team_alias,
      organization_id: data.organization_id === '' ? null : data.organization_id,
      metadata: data.metadata,
      tpm_limit: data.tpm_limit,
      rpm_limit: data.rpm_limit,
      max_budget: data.max_budget,
      budget_duration: data.budget_duration,
      models: data.models ?? undefined,
      blocked: data.blocked ?? undefined,
    };
    // A premium field sent without `metadata` replaces the stored metadata (LiteLLM quirk).
    const metadata = withPremiumFields(data.metadata, data, settings.premium);
    if (metadata !== data.metadata) {
      patch.metadata = metadata;
    }
    const updated = updateTeam(db, data.team_id, patch);
    return ok({ team_id: updated.team_id, data: teamJson(updated) });
  },
};

const teamInfo: Route = {
  method: 'GET',
  path: '/team/info',
  errorStyle: 'proxy-auth',
  handle({ db, query }) {
    const q = createQueryReader(query);
    const teamId = q.str('team_id');
    q.finish();
    if (teamId === undefined) {
      throw new HttpException(422, { message: 'Malformed request. No team id passed in.' });
    }
    const team = getTeam(db, teamId);
    if (team === undefined) {
      throw new HttpException(404, { message: `Team not found, passed team id: ${teamId}.` });
    }
    return ok({
      team_id: teamId,
      team_info: { ...teamJson(team), team_member_budget_table: null },
      // LiteLLM pops `token` from a copy only, so the hashes stay in the answer.
      keys: keysOf(db, 'team_id', teamId).map(keyJson),
      team_memberships: [],
    });
  },
};

const deleteTeam: Route = {
  method: 'POST',
  path: '/team/delete',
  errorStyle: 'raw',
  handle({ db, body }) {
    const data = parseBody(deleteTeamSchema, body);
    // Every id is checked before anything is deleted.
    const teams = data.team_ids.map(id => {
      const team = getTeam(db, id);
      if (team === undefined) {
        throw new HttpException(404, { error: `Team not found, passed team_id=${id}` });
      }
      return team;
    });
    deleteKeysOwnedBy(db, 'team_id', data.team_ids);
    teams.forEach(team => forgetTeam(db, team));
    deleteTeams(db, data.team_ids);
    return ok({ deleted_teams: data.team_ids });
  },
};

/** Team CRUD routes. */
export const teamRoutes: readonly Route[] = [newTeam, updateTeamRoute, teamInfo, deleteTeam];
