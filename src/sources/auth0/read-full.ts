/**
 * A full read of the in-scope part of the tenant: the roles and/or organizations (scope applied
 * here), the members of each (checkpoint paging, so past 1,000 members), then the users with
 * their `blocked` flag. Member lists carry no status, so statuses come from the user list — or,
 * in a tenant of more than 1,000 users, where `GET /users` cannot page further, from a
 * users-export job. A member the export missed (created after it started) is read on its own;
 * one that Auth0 no longer has is left out of every team.
 *
 * All or nothing: one failed list fails the read, and the rest is cancelled.
 */
import { SyncError } from '../../errors.js';
import { mapAll } from '../../http/limit.js';
import type { IdpGroup, IdpUser } from '../../model.js';
import type { GroupScope } from '../scope.js';
import type { Auth0Member, Auth0User } from './api.js';
import type { Auth0Reader } from './client.js';
import type { Auth0GroupsFrom } from './config.js';
import {
  isTeamInScope,
  memberIds,
  organizationTeam,
  roleTeam,
  toIdpUser,
  type Auth0Team,
} from './map.js';

/** What a full read needs besides the reader. */
export type FullReadOptions = {
  readonly scope: GroupScope;
  readonly groupsFrom: Auth0GroupsFrom;
  readonly concurrency: number;
};

/** The in-scope teams with their members, and those members' records. */
export type Auth0State = {
  readonly groups: readonly IdpGroup[];
  readonly users: ReadonlyMap<string, IdpUser>;
};

/** Reads the in-scope teams, their members and the members' statuses. */
export async function readFull(
  reader: Auth0Reader,
  options: FullReadOptions,
  signal?: AbortSignal,
): Promise<Auth0State> {
  const teams = await listTeams(reader, options, signal);
  const members = await mapAll(teams, options.concurrency, signal, (team, inner) =>
    membersOrGone(reader, team, inner),
  );
  const wanted = new Set<string>();
  for (const list of members) {
    for (const member of list ?? []) {
      wanted.add(member.user_id);
    }
  }
  const users = new Map<string, IdpUser>();
  if (wanted.size > 0) {
    for (const user of await reader.listAllUsers(signal)) {
      if (wanted.has(user.user_id)) {
        users.set(user.user_id, toIdpUser(user));
      }
    }
    const missing = [...wanted].filter(id => !users.has(id));
    const late = await mapAll(missing, options.concurrency, signal, (id, inner) =>
      reader.getUser(id, inner),
    );
    for (const user of late.filter((u): u is Auth0User => u !== undefined)) {
      users.set(user.user_id, toIdpUser(user));
    }
  }
  const groups: IdpGroup[] = [];
  teams.forEach((team, index) => {
    const list = members[index];
    if (list !== undefined) {
      groups.push({
        externalId: team.id,
        name: team.name,
        memberIds: memberIds(list).filter(id => users.has(id)),
      });
    }
  });
  return { groups, users };
}

/** The roles and/or organizations in scope. One after the other: the first call fetches the token. */
export async function listTeams(
  reader: Auth0Reader,
  options: Pick<FullReadOptions, 'scope' | 'groupsFrom'>,
  signal?: AbortSignal,
): Promise<Auth0Team[]> {
  const teams: Auth0Team[] = [];
  if (options.groupsFrom !== 'organizations') {
    teams.push(...(await reader.listRoles(signal)).map(roleTeam));
  }
  if (options.groupsFrom !== 'roles') {
    teams.push(...(await reader.listOrganizations(signal)).map(organizationTeam));
  }
  return teams.filter(team => isTeamInScope(options.scope, team));
}

/** A team's members, or `undefined` when it was deleted after being listed (404). */
async function membersOrGone(
  reader: Auth0Reader,
  team: Auth0Team,
  signal: AbortSignal,
): Promise<Auth0Member[] | undefined> {
  try {
    return team.kind === 'role'
      ? await reader.listRoleMembers(team.id, signal)
      : await reader.listOrganizationMembers(team.id, signal);
  } catch (error) {
    if (error instanceof SyncError && error.code === 'SOURCE_NOT_FOUND') {
      return undefined;
    }
    throw error;
  }
}
