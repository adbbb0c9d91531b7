/**
 * Team endpoints: `/v2/team/list`, `/team/info`, `/team/new`, `/team/update`,
 * `/team/member_add`, `/team/member_delete` (reference litellm-api.md §4).
 */
import type { NewTeam, Target, TeamPatch, TeamRole, TeamSettings } from '../types.js';
import {
  objectResponseSchema,
  teamInfoSchema,
  teamListPageSchema,
  teamNewResponseSchema,
  toTeam,
} from './api.js';
import { isAlreadyExists, isAlreadyInTeam, isEntityNotFound, isNotInTeam } from './errors.js';
import { paginate } from './paginate.js';
import type { Requester } from './request.js';

/** The team half of the `Target` port. */
export type TeamOps = Pick<
  Target,
  | 'listTeams'
  | 'getTeam'
  | 'createTeam'
  | 'updateTeam'
  | 'addMembers'
  | 'removeMember'
  | 'deleteTeam'
>;

/*
 * LiteLLM has no documented limit on `/team/member_add`, but it upserts one user row per member
 * inside the request; bounded batches keep each request well inside the timeout.
 */
const MEMBER_BATCH = 100;

/** Creates the team operations over `requester`. */
export function createTeamOps(requester: Requester): TeamOps {
  return {
    listTeams(signal) {
      return paginate(
        async page => {
          const body = await requester.data(
            {
              method: 'GET',
              path: '/v2/team/list',
              // Sorting on the primary key gives a total order, so pages neither overlap nor
              // skip rows that share a `created_at` (the default order).
              query: { page, page_size: requester.pageSize, sort_by: 'team_id', sort_order: 'asc' },
              schema: teamListPageSchema,
            },
            signal,
          );
          return { items: body.teams.map(toTeam), totalPages: body.total_pages };
        },
        requester.pageSize,
        team => team.teamId,
      );
    },

    async getTeam(teamId, signal) {
      const result = await requester.call(
        {
          method: 'GET',
          path: '/team/info',
          query: { team_id: teamId },
          schema: teamInfoSchema,
          tolerate: isEntityNotFound,
        },
        signal,
      );
      return result.kind === 'ok' ? toTeam(result.data.team_info) : undefined;
    },

    async createTeam(team: NewTeam, signal) {
      const result = await requester.call(
        {
          method: 'POST',
          path: '/team/new',
          body: {
            team_id: team.teamId,
            team_alias: team.alias,
            metadata: team.metadata,
            ...settingsBody(team.settings),
          },
          schema: teamNewResponseSchema,
          tolerate: isAlreadyExists,
        },
        signal,
      );
      return result.kind === 'ok' ? 'created' : 'exists';
    },

    async updateTeam(teamId: string, patch: TeamPatch, signal) {
      const body: Record<string, unknown> = {};
      if (patch.alias !== undefined) {
        body.team_alias = patch.alias;
      }
      if (patch.metadata !== undefined) {
        // LiteLLM writes `metadata` as sent (no merge), so the caller passes the whole object.
        body.metadata = patch.metadata;
      }
      if (patch.blocked !== undefined) {
        body.blocked = patch.blocked;
      }
      if (Object.keys(body).length === 0) {
        return;
      }
      await requester.data(
        {
          method: 'POST',
          path: '/team/update',
          body: { team_id: teamId, ...body },
          schema: objectResponseSchema,
        },
        signal,
      );
    },

    async deleteTeam(teamId, signal) {
      const result = await requester.call(
        {
          method: 'POST',
          path: '/team/delete',
          body: { team_ids: [teamId] },
          schema: objectResponseSchema,
          tolerate: isEntityNotFound,
        },
        signal,
      );
      return result.kind === 'ok' ? 'deleted' : 'absent';
    },

    async addMembers(teamId, members, signal) {
      const unique = [...new Map(members.map(m => [m.userId, m.role] as const)).entries()];
      // Sequential on purpose: member_add rewrites `members_with_roles` read-modify-write, so
      // two concurrent batches for one team could drop each other's members.
      for (let start = 0; start < unique.length; start += MEMBER_BATCH) {
        const batch = unique.slice(start, start + MEMBER_BATCH);
        await requester.call(
          {
            method: 'POST',
            path: '/team/member_add',
            // The list form: when every member is present LiteLLM answers 400
            // team_member_already_in_team; when some are, it skips them and adds the rest.
            body: {
              team_id: teamId,
              member: batch.map(([userId, role]) => memberBody(userId, role)),
            },
            schema: objectResponseSchema,
            tolerate: isAlreadyInTeam,
          },
          signal,
        );
      }
    },

    async removeMember(teamId, userId, signal) {
      const result = await requester.call(
        {
          method: 'POST',
          path: '/team/member_delete',
          body: { team_id: teamId, user_id: userId },
          schema: objectResponseSchema,
          tolerate: isNotInTeam,
        },
        signal,
      );
      return result.kind === 'ok' ? 'removed' : 'absent';
    },
  };
}

/** Members are always named by `user_id`: an email-only member makes LiteLLM invent a uuid user. */
function memberBody(userId: string, role: TeamRole): { user_id: string; role: TeamRole } {
  return { user_id: userId, role };
}

/** Only the settings a template actually sets, so LiteLLM's `default_team_params` fill the rest. */
function settingsBody(settings: TeamSettings | undefined): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (settings === undefined) {
    return body;
  }
  if (settings.models !== undefined) {
    body.models = [...settings.models];
  }
  for (const field of ['max_budget', 'budget_duration', 'tpm_limit', 'rpm_limit'] as const) {
    if (settings[field] !== undefined) {
      body[field] = settings[field];
    }
  }
  return body;
}
