/**
 * The per-user read behind the login hook: `GET /users/{id}` (the `sub` of an Auth0 ID token is
 * the `user_id`), or `GET /users-by-email` for a subject that looks like an e-mail, then the
 * user's roles and/or organizations, filtered by the scope.
 *
 * `deleted` only when Auth0 says no such user exists; a blocked user is `found` and inactive.
 */
import { SyncError } from '../../errors.js';
import type { UserReading } from '../../model.js';
import type { GroupScope } from '../scope.js';
import type { Auth0User } from './api.js';
import type { Auth0Reader } from './client.js';
import type { Auth0GroupsFrom } from './config.js';
import {
  isTeamInScope,
  organizationTeam,
  roleTeam,
  toGroupRef,
  toIdpUser,
  type Auth0Team,
} from './map.js';

/** What a per-user read needs. */
export type UserReadOptions = {
  readonly scope: GroupScope;
  readonly groupsFrom: Auth0GroupsFrom;
};

/** Reads one user and their in-scope roles and/or organizations. */
export async function readUser(
  reader: Auth0Reader,
  options: UserReadOptions,
  subject: string,
  signal?: AbortSignal,
): Promise<UserReading> {
  const trimmed = subject.trim();
  const user = trimmed === '' ? undefined : await findUser(reader, trimmed, signal);
  if (user === undefined) {
    return { kind: 'deleted', source: 'auth0', subject };
  }
  const teams: Auth0Team[] = [];
  if (options.groupsFrom !== 'organizations') {
    teams.push(...(await reader.listUserRoles(user.user_id, signal)).map(roleTeam));
  }
  if (options.groupsFrom !== 'roles') {
    teams.push(...(await reader.listUserOrganizations(user.user_id, signal)).map(organizationTeam));
  }
  return {
    kind: 'found',
    source: 'auth0',
    user: toIdpUser(user),
    groups: teams.filter(team => isTeamInScope(options.scope, team)).map(toGroupRef),
  };
}

async function findUser(
  reader: Auth0Reader,
  subject: string,
  signal: AbortSignal | undefined,
): Promise<Auth0User | undefined> {
  // Auth0 ids are `<connection>|<id>`; an e-mail address never contains a `|`.
  const looksLikeEmail = subject.includes('@') && !subject.includes('|');
  if (!looksLikeEmail) {
    return reader.getUser(subject, signal);
  }
  // Auth0 stores e-mails lower-cased and `/users-by-email` compares exactly.
  const matches = await reader.usersByEmail(subject.toLowerCase(), signal);
  if (matches.length > 1) {
    // One e-mail may have an account per connection; guessing would sync the wrong person.
    throw new SyncError(
      'SOURCE_INVALID_RESPONSE',
      `${matches.length} Auth0 users have the e-mail ${subject}; look the user up by user_id`,
    );
  }
  return matches[0];
}
