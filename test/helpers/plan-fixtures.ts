import type { IdpGroup, IdpUser } from '../../src/model.js';
import type { MappingRules } from '../../src/reconcile/mapping.js';
import type { PlanInput } from '../../src/reconcile/plan-types.js';
import {
  grantKey,
  type Grant,
  type ManagedTeam,
  type ManagedUser,
  type Ownership,
} from '../../src/store/types.js';
import type { Team, User } from '../../src/target/types.js';

export const rules: MappingRules = {
  userIdAttribute: 'externalId',
  defaultUserRole: 'internal_user',
  userRoleRules: [],
  teamTemplates: [],
};

export const idpUser = (id: string, extra: Partial<IdpUser> = {}): IdpUser => ({
  externalId: id,
  login: `${id}@example.com`,
  email: `${id}@example.com`,
  displayName: id,
  active: true,
  ...extra,
});

export const group = (id: string, memberIds: string[], name = id): IdpGroup => ({
  externalId: id,
  name,
  memberIds,
});

export const team = (teamId: string, memberIds: string[], extra: Partial<Team> = {}): Team => ({
  teamId,
  alias: teamId,
  metadata: { idp_sync: { source: 'file', external_id: teamId } },
  members: memberIds.map(userId => ({ userId, email: null, role: 'user' as const })),
  blocked: false,
  ...extra,
});

export const litellmUser = (userId: string, extra: Partial<User> = {}): User => ({
  userId,
  email: `${userId}@example.com`,
  ssoUserId: userId,
  role: 'internal_user',
  teams: [],
  metadata: { idp_sync: { source: 'file', external_id: userId } },
  ...extra,
});

export function ownership(
  parts: { teams?: string[]; users?: string[]; grants?: [string, string][] } = {},
): Ownership {
  return {
    teams: new Map(
      (parts.teams ?? []).map((id): [string, ManagedTeam] => [
        id,
        { teamId: id, source: 'file', externalId: id, alias: id },
      ]),
    ),
    users: new Map(
      (parts.users ?? []).map((id): [string, ManagedUser] => [
        id,
        { userId: id, source: 'file', externalId: id, email: `${id}@example.com` },
      ]),
    ),
    grants: new Map(
      (parts.grants ?? []).map(([teamId, userId]): [string, Grant] => [
        grantKey(teamId, userId),
        { teamId, userId, source: 'file', role: 'user' },
      ]),
    ),
  };
}

/** A full-plan input; override any part. */
export function fullInput(
  parts: Partial<PlanInput> & { idpUsers?: IdpUser[]; litellmTeams?: Team[] } = {},
): PlanInput {
  const { idpUsers, litellmTeams, ...rest } = parts;
  return {
    source: 'file',
    scope: { kind: 'full', complete: true },
    users: new Map((idpUsers ?? []).map(u => [u.externalId, u])),
    groups: [],
    teams: new Map((litellmTeams ?? []).map(t => [t.teamId, t])),
    litellmUsers: [],
    ownership: ownership(),
    rules,
    ...rest,
  };
}
