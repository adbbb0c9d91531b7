/**
 * The per-user read behind the login hook: `/api/v1/users/{idOrLogin}` (Okta accepts the id —
 * the `sub` of an Okta ID token — or the login), then `/api/v1/users/{id}/groups`, filtered by
 * the scope. A subject that is neither but looks like an e-mail is looked up with
 * `filter=profile.email eq "…"`, which, unlike an unfiltered list, also finds deactivated users.
 *
 * `deleted` only when Okta says no such user exists; a deactivated user is `found` and inactive.
 *
 * @see /work/shared/reference/idp-apis.md §C "Endpoints", §D (Okta `sub`)
 */
import { SyncError } from '../../errors.js';
import type { UserReading } from '../../model.js';
import type { OktaUser } from './api.js';
import type { OktaReader } from './client.js';
import {
  isOktaGroupInScope,
  toGroupRef,
  toIdpUser,
  toUserRecord,
  type OktaSelector,
} from './map.js';

/** What a per-user read needs. */
export type UserReadOptions = {
  readonly selector: Omit<OktaSelector, 'appGroupIds'>;
  readonly activeStatuses: readonly string[];
  /** The app's assigned groups; called only when a group's type passes and an app is set. */
  readonly appGroupIds: (signal?: AbortSignal) => Promise<ReadonlySet<string> | undefined>;
};

/** Reads one user and their in-scope groups. */
export async function readUser(
  reader: OktaReader,
  options: UserReadOptions,
  subject: string,
  signal?: AbortSignal,
): Promise<UserReading> {
  const trimmed = subject.trim();
  const user = trimmed === '' ? undefined : await findUser(reader, trimmed, signal);
  if (user === undefined) {
    return { kind: 'deleted', source: 'okta', subject };
  }
  const groups = await reader.listUserGroups(user.id, signal);
  const selector: OktaSelector = {
    ...options.selector,
    appGroupIds: await options.appGroupIds(signal),
  };
  const inScope = groups.filter(group =>
    isOktaGroupInScope(selector, { id: group.id, name: group.profile.name, type: group.type }),
  );
  return {
    kind: 'found',
    source: 'okta',
    user: toIdpUser(toUserRecord(user), options.activeStatuses),
    groups: inScope.map(toGroupRef),
  };
}

async function findUser(
  reader: OktaReader,
  subject: string,
  signal: AbortSignal | undefined,
): Promise<OktaUser | undefined> {
  const direct = await reader.getUser(subject, signal);
  if (direct !== undefined || !subject.includes('@')) {
    return direct;
  }
  const escaped = subject.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  const matches = await reader.listUsers(`profile.email eq "${escaped}"`, signal);
  if (matches.length > 1) {
    // E-mail is not unique in Okta; guessing would sync the wrong person.
    throw new SyncError(
      'SOURCE_INVALID_RESPONSE',
      `${matches.length} Okta users have the e-mail ${subject}; look the user up by Okta id or login`,
    );
  }
  return matches[0];
}
