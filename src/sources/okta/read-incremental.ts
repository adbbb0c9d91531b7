/**
 * An incremental read: Okta's changes since the last read, applied to the mirror in memory.
 *
 * - Groups: `filter=lastUpdated gt "W" or lastMembershipUpdated gt "W"` (a rename moves
 *   `lastUpdated`, a membership change `lastMembershipUpdated`); each changed group is re-scoped
 *   (a rename may move it in or out) and, if in scope, its members re-read.
 * - App assignments (when an app selects groups): re-read in full each time — assigning a group
 *   touches neither of the group's timestamps — and newly assigned groups are read.
 * - Users: `filter=lastUpdated gt "W"`, which includes `DEPROVISIONED` users; a status or profile
 *   change of a mirrored member is applied. Membership changes do not move a user's
 *   `lastUpdated`; the group filter covers them.
 *
 * `W` is the previous read's start (server time) minus a safety overlap: Okta's timestamps have
 * whole seconds, `gt` is strict, and a change committed during the previous read must not fall
 * between two watermarks. Re-reading a few changes twice is harmless.
 *
 * Not visible here: deleted groups (they simply disappear) and hard-deleted users outside any
 * changed group; the periodic full read (the drift check) removes them.
 *
 * The `or` form of the group filter is Okta's own documented example ("Groups with Profile or
 * memberships updated after …" in the Groups API reference, okta/okta-developer-docs).
 *
 * @see /work/shared/reference/idp-apis.md §C "Incremental sync"
 */
import type { OktaGroup } from './api.js';
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
import { mapAll } from '../../http/limit.js';
import { addUsers, membersOrGone, type FullReadOptions } from './read-full.js';

/** How far before the watermark each incremental read looks. */
export const overlapMs = 2 * 60_000;

/** Applies Okta's changes since `since` (ISO, server time) to `previous`; returns the new mirror. */
export async function readIncremental(
  reader: OktaReader,
  options: FullReadOptions,
  previous: MirrorState,
  since: string,
  signal?: AbortSignal,
): Promise<MirrorState> {
  const from = new Date(Date.parse(since) - overlapMs).toISOString();
  const changedGroups = await reader.listGroups(
    `lastUpdated gt "${from}" or lastMembershipUpdated gt "${from}"`,
    signal,
  );
  const appGroupIds =
    options.appId === undefined ? undefined : await reader.listAppGroupIds(options.appId, signal);
  const selector: OktaSelector = {
    ...options.selector,
    appGroupIds: appGroupIds === undefined ? undefined : new Set(appGroupIds),
  };
  const inScope = (group: { id: string; name: string; type: string }) =>
    isOktaGroupInScope(selector, group);

  const groups = new Map(previous.groups);
  const toRead = new Map<string, OktaGroup>();
  for (const group of changedGroups) {
    if (inScope({ id: group.id, name: group.profile.name, type: group.type })) {
      toRead.set(group.id, group);
    } else {
      groups.delete(group.id);
    }
  }
  if (appGroupIds !== undefined) {
    await addAssignedGroups(reader, appGroupIds, groups, toRead, inScope, signal);
    for (const group of [...groups.values()]) {
      if (!toRead.has(group.id) && !inScope(group)) {
        groups.delete(group.id);
      }
    }
  }

  const reading = [...toRead.values()];
  const members = await mapAll(reading, options.concurrency, signal, (group, inner) =>
    membersOrGone(reader, group.id, inner),
  );
  const users = new Map(previous.users);
  reading.forEach((group, index) => {
    const list = members[index];
    if (list === undefined) {
      groups.delete(group.id);
    } else {
      groups.set(group.id, toGroupRecord(group, list));
      addUsers(users, list);
    }
  });

  for (const user of await reader.listUsers(`lastUpdated gt "${from}"`, signal)) {
    if (users.has(user.id)) {
      users.set(user.id, toUserRecord(user));
    }
  }
  return { groups, users: onlyMembers(users, groups), appGroupIds };
}

/** Reads groups newly assigned to the app (not mirrored yet, not among the changed ones). */
async function addAssignedGroups(
  reader: OktaReader,
  appGroupIds: readonly string[],
  mirrored: ReadonlyMap<string, GroupRecord>,
  toRead: Map<string, OktaGroup>,
  inScope: (group: { id: string; name: string; type: string }) => boolean,
  signal: AbortSignal | undefined,
): Promise<void> {
  const missing = appGroupIds.filter(id => !mirrored.has(id) && !toRead.has(id));
  for (const id of missing) {
    const group = await reader.getGroup(id, signal);
    if (group !== undefined && inScope({ id, name: group.profile.name, type: group.type })) {
      toRead.set(id, group);
    }
  }
}

/** Drops user records no mirrored group refers to any more. */
function onlyMembers(
  users: ReadonlyMap<string, UserRecord>,
  groups: ReadonlyMap<string, GroupRecord>,
): Map<string, UserRecord> {
  const referenced = new Set<string>();
  for (const group of groups.values()) {
    group.members.forEach(id => referenced.add(id));
  }
  return new Map([...users].filter(([id]) => referenced.has(id)));
}
