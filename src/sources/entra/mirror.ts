/**
 * The source's own copy of the directory, kept in its state namespace between runs so that a
 * delta round (a handful of calls) still yields a complete snapshot.
 *
 * It holds every user (the fields we map) and every group with its DIRECT members, users and
 * groups alike. Direct, because that is what delta reports: `members@delta` names the group
 * whose own member list changed. With the direct edges of every group kept, a user added to a
 * nested child shows up in each parent team when the mirror is flattened; a transitive list per
 * team could not be updated from such an event (a removal from a child may leave the user
 * reachable through another path). All groups, because any group may be nested into an in-scope
 * one, or renamed into scope, by a later round.
 *
 * Keys: `u:<id>`, `g:<id>` (JSON rows), `delta:users`, `delta:groups`, `delta:issuedAt`,
 * `app:groups` (ids assigned to the enterprise application), `meta:identity`, `meta:fullReadAt`.
 * Every write happens in one `state.transaction`, so a failed read leaves the old mirror whole.
 */
import type { SourceState } from '../types.js';
import { groupOdataType, userOdataType, type DeltaGroup, type DeltaUser } from './api.js';

/** A user as mirrored. */
export type MirrorUser = {
  readonly id: string;
  readonly upn: string;
  readonly mail: string | null;
  readonly displayName: string | null;
  readonly accountEnabled: boolean;
};

/** A group as mirrored: its direct user members and its direct child groups. */
export type MirrorGroup = {
  readonly id: string;
  readonly displayName: string;
  readonly users: readonly string[];
  readonly groups: readonly string[];
};

/** Where the next delta round starts. */
export type DeltaLinks = { readonly users: string; readonly groups: string };

/** Everything a full read produced. */
export type FullDirectory = {
  readonly users: readonly MirrorUser[];
  readonly groups: readonly MirrorGroup[];
  /** Groups assigned to the enterprise application; undefined when none is configured. */
  readonly appGroupIds: readonly string[] | undefined;
  /** Links taken just before the read, so changes made during it are replayed next round. */
  readonly links: DeltaLinks | undefined;
};

/** One delta round: changes in the order Graph sent them, and the links for the next round. */
export type DeltaRound = {
  readonly users: readonly DeltaUser[];
  readonly groups: readonly DeltaGroup[];
  readonly links: DeltaLinks;
  readonly appGroupIds: readonly string[] | undefined;
};

/** The mirror loaded for listing. */
export type MirrorView = {
  readonly users: ReadonlyMap<string, MirrorUser>;
  readonly groups: ReadonlyMap<string, MirrorGroup>;
  readonly appGroupIds: ReadonlySet<string> | undefined;
};

const userKey = (id: string) => `u:${id}`;
const groupKey = (id: string) => `g:${id}`;
const keys = {
  usersLink: 'delta:users',
  groupsLink: 'delta:groups',
  issuedAt: 'delta:issuedAt',
  appGroups: 'app:groups',
  identity: 'meta:identity',
  fullReadAt: 'meta:fullReadAt',
} as const;

/** Directory object delta tokens live seven days; a round older than this starts over. */
export const deltaTokenMaxAgeMs = 7 * 24 * 3_600_000 - 3_600_000;

/** Replaces the whole mirror with a full read, in one transaction. */
export function replaceMirror(
  state: SourceState,
  directory: FullDirectory,
  identity: string,
  now: Date,
): void {
  state.transaction(() => {
    for (const prefix of ['u:', 'g:', 'delta:', 'app:', 'meta:']) {
      state.deletePrefix(prefix);
    }
    for (const user of directory.users) {
      state.set(userKey(user.id), JSON.stringify(user));
    }
    for (const group of directory.groups) {
      state.set(groupKey(group.id), JSON.stringify(group));
    }
    if (directory.links !== undefined) {
      writeLinks(state, directory.links, now);
    }
    writeAppGroups(state, directory.appGroupIds);
    state.set(keys.identity, identity);
    state.set(keys.fullReadAt, now.toISOString());
  });
}

/** Applies one delta round and its new links, in one transaction. */
export function applyDeltaRound(state: SourceState, round: DeltaRound, now: Date): void {
  state.transaction(() => {
    const users = new Map<string, MirrorUser | undefined>();
    for (const change of round.users) {
      const current = users.has(change.id)
        ? users.get(change.id)
        : readRow<MirrorUser>(state, userKey(change.id));
      users.set(change.id, applyUserChange(current, change));
    }
    const groups = new Map<string, MirrorGroup | undefined>();
    for (const change of round.groups) {
      const current = groups.has(change.id)
        ? groups.get(change.id)
        : readRow<MirrorGroup>(state, groupKey(change.id));
      groups.set(change.id, applyGroupChange(current, change));
    }
    writeRows(state, users, userKey);
    writeRows(state, groups, groupKey);
    writeLinks(state, round.links, now);
    writeAppGroups(state, round.appGroupIds);
  });
}

/** A user after one delta entry: removed (soft or hard), or its changed fields merged in. */
export function applyUserChange(
  current: MirrorUser | undefined,
  change: DeltaUser,
): MirrorUser | undefined {
  if (change['@removed'] !== undefined) {
    return undefined;
  }
  return {
    id: change.id,
    upn: change.userPrincipalName ?? current?.upn ?? '',
    mail: change.mail !== undefined ? change.mail : (current?.mail ?? null),
    displayName:
      change.displayName !== undefined ? change.displayName : (current?.displayName ?? null),
    accountEnabled: change.accountEnabled ?? current?.accountEnabled ?? true,
  };
}

/**
 * A group after one delta entry: removed, or renamed and its `members@delta` slice applied in
 * order (an entry with `@removed` leaves, any other joins; replays change nothing).
 */
export function applyGroupChange(
  current: MirrorGroup | undefined,
  change: DeltaGroup,
): MirrorGroup | undefined {
  if (change['@removed'] !== undefined) {
    return undefined;
  }
  const users = new Set(current?.users);
  const groups = new Set(current?.groups);
  for (const member of change['members@delta'] ?? []) {
    const set =
      member['@odata.type'] === userOdataType
        ? users
        : member['@odata.type'] === groupOdataType
          ? groups
          : undefined;
    if (member['@removed'] === undefined) {
      set?.add(member.id);
    } else {
      set?.delete(member.id);
    }
  }
  return {
    id: change.id,
    displayName: change.displayName ?? current?.displayName ?? '',
    users: [...users],
    groups: [...groups],
  };
}

/** The mirror, or undefined when no full read has ever completed for `identity`. */
export function loadMirror(state: SourceState, identity: string): MirrorView | undefined {
  if (state.get(keys.fullReadAt) === undefined || state.get(keys.identity) !== identity) {
    return undefined;
  }
  const app = state.get(keys.appGroups);
  return {
    users: new Map(rows<MirrorUser>(state, 'u:').map(user => [user.id, user])),
    groups: new Map(rows<MirrorGroup>(state, 'g:').map(group => [group.id, group])),
    appGroupIds: app === undefined ? undefined : new Set(JSON.parse(app) as string[]),
  };
}

/** The stored app-assigned group ids, if a run has read them. */
export function storedAppGroupIds(
  state: SourceState,
  identity: string,
): ReadonlySet<string> | undefined {
  const app = state.get(keys.appGroups);
  return app === undefined || state.get(keys.identity) !== identity
    ? undefined
    : new Set(JSON.parse(app) as string[]);
}

/** The links to continue from, or why a full read is needed instead. */
export function usableDeltaLinks(
  state: SourceState,
  identity: string,
  now: Date,
): { readonly links: DeltaLinks } | { readonly reason: string } {
  if (state.get(keys.fullReadAt) === undefined || state.get(keys.identity) !== identity) {
    return { reason: 'no mirror of this tenant yet' };
  }
  const users = state.get(keys.usersLink);
  const groups = state.get(keys.groupsLink);
  const issuedAt = Date.parse(state.get(keys.issuedAt) ?? '');
  if (users === undefined || groups === undefined || Number.isNaN(issuedAt)) {
    return { reason: 'no delta link stored' };
  }
  if (now.getTime() - issuedAt > deltaTokenMaxAgeMs) {
    return { reason: 'the delta links are about to expire (7 days)' };
  }
  return { links: { users, groups } };
}

function writeLinks(state: SourceState, links: DeltaLinks, now: Date): void {
  state.set(keys.usersLink, links.users);
  state.set(keys.groupsLink, links.groups);
  state.set(keys.issuedAt, now.toISOString());
}

function writeAppGroups(state: SourceState, ids: readonly string[] | undefined): void {
  if (ids === undefined) {
    state.delete(keys.appGroups);
  } else {
    state.set(keys.appGroups, JSON.stringify(ids));
  }
}

function writeRows<T>(
  state: SourceState,
  rows: ReadonlyMap<string, T | undefined>,
  key: (id: string) => string,
): void {
  for (const [id, row] of rows) {
    if (row === undefined) {
      state.delete(key(id));
    } else {
      state.set(key(id), JSON.stringify(row));
    }
  }
}

function readRow<T>(state: SourceState, key: string): T | undefined {
  const text = state.get(key);
  return text === undefined ? undefined : (JSON.parse(text) as T);
}

function rows<T>(state: SourceState, prefix: string): T[] {
  return [...state.entries(prefix)].map(([, text]) => JSON.parse(text) as T);
}
