/**
 * A full read of the in-scope part of the org: every group (one paged list, scope and types
 * applied here), the app's assignments when an app is in the scope, and the members of each
 * in-scope group with their status. `/api/v1/users` is not listed at all: group members already
 * carry their status, deactivated ones included, whereas an unfiltered user list would omit
 * `DEPROVISIONED` users and make them look deleted.
 *
 * That group member lists include deactivated users (and take no `filter`) is confirmed by
 * okta/okta-sdk-python#245 and redhat-cop/group-sync-operator#124; that an unfiltered user list
 * omits them by okta/okta-sdk-java#718 ("By default, it lists all non DEPROVISIONED users").
 *
 * All or nothing: one failed list fails the read, and the rest is cancelled.
 */
import { SyncError } from '../../errors.js';
import { mapAll } from '../../http/limit.js';
import type { OktaUser } from './api.js';
import type { OktaReader } from './client.js';
import {
  isOktaGroupInScope,
  toGroupRecord,
  toUserRecord,
  type GroupRecord,
  type OktaSelector,
  type UserRecord,
} from './map.js';
import type { MirrorState } from './mirror.js';

/** What a full read needs besides the reader. */
export type FullReadOptions = {
  readonly selector: Omit<OktaSelector, 'appGroupIds'>;
  readonly appId?: string | undefined;
  readonly concurrency: number;
};

/** Reads the in-scope groups, their members and the members' statuses. */
export async function readFull(
  reader: OktaReader,
  options: FullReadOptions,
  signal?: AbortSignal,
): Promise<MirrorState> {
  // One after the other: in OAuth mode the first call fetches the access token, and two first
  // calls at once would fetch two (the SDK does not share a token request in flight).
  const groups = await reader.listGroups(undefined, signal);
  const appGroupIds =
    options.appId === undefined ? undefined : await reader.listAppGroupIds(options.appId, signal);
  const selector: OktaSelector = {
    ...options.selector,
    appGroupIds: appGroupIds === undefined ? undefined : new Set(appGroupIds),
  };
  const inScope = groups.filter(group =>
    isOktaGroupInScope(selector, { id: group.id, name: group.profile.name, type: group.type }),
  );
  const members = await mapAll(inScope, options.concurrency, signal, (group, inner) =>
    membersOrGone(reader, group.id, inner),
  );
  const groupRecords = new Map<string, GroupRecord>();
  const users = new Map<string, UserRecord>();
  inScope.forEach((group, index) => {
    const list = members[index];
    if (list !== undefined) {
      groupRecords.set(group.id, toGroupRecord(group, list));
      addUsers(users, list);
    }
  });
  return { groups: groupRecords, users, appGroupIds };
}

/**
 * A group's members, or `undefined` when the group was deleted between listing it and reading
 * its members (Okta answers 404): a long read must not fail over a group that no longer exists.
 */
export async function membersOrGone(
  reader: OktaReader,
  groupId: string,
  signal: AbortSignal,
): Promise<OktaUser[] | undefined> {
  try {
    return await reader.listGroupMembers(groupId, signal);
  } catch (error) {
    if (error instanceof SyncError && error.code === 'SOURCE_NOT_FOUND') {
      return undefined;
    }
    throw error;
  }
}

/** Adds (or refreshes) member records. */
export function addUsers(users: Map<string, UserRecord>, members: readonly OktaUser[]): void {
  for (const member of members) {
    users.set(member.id, toUserRecord(member));
  }
}
