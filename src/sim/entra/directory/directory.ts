/**
 * The simulated tenant's directory and its mutation API. Every mutation also appends to the
 * change log, which is what `/users/delta` and `/groups/delta` replay. Deletion follows Entra:
 * deleting a user soft-deletes it (restorable, memberships dropped and restored with it), purging
 * removes it for good (`@removed.reason` `changed` vs `deleted`).
 *
 * @see /work/shared/reference/idp-apis.md §A "Deletion / disabled semantics"
 */
import type { Prng } from '../../shared/prng.js';
import type { GroupInput, ServicePrincipalInput, UserInput } from '../inputs.js';
import type {
  MemberType,
  SimAppRoleAssignment,
  SimGroup,
  SimServicePrincipal,
  SimUser,
} from '../model.js';
import { addServicePrincipal, assignAppRole, unassignAppRole } from './app-roles.js';
import { createChangeLog, type ChangeLog } from './change-log.js';
import { leaveParentGroups, linkMember, unlinkMember } from './membership.js';
import { createState, findGroup, findUser, type DirectoryState } from './state.js';

/** Fields of a user a test may change. */
export type UserPatch = Partial<Omit<SimUser, 'id' | 'createdDateTime' | 'deletedDateTime'>>;

/** The directory: read views for the Graph handlers plus the mutation API for tests. */
export type EntraDirectory = {
  /** Tables (read-only for callers; mutate through the methods). */
  readonly state: DirectoryState;
  readonly log: ChangeLog;
  addUser(input: UserInput): SimUser;
  updateUser(id: string, patch: UserPatch): SimUser;
  disableUser(id: string): SimUser;
  enableUser(id: string): SimUser;
  /** Soft-deletes: hidden, removed from its groups, restorable with `restoreUser`. */
  softDeleteUser(id: string): void;
  restoreUser(id: string): SimUser;
  /** Permanently deletes (soft-deleted or live). */
  purgeUser(id: string): void;
  addGroup(input: GroupInput): SimGroup;
  renameGroup(id: string, displayName: string): SimGroup;
  /** Soft-deletes a group: it leaves its parent groups and disappears from reads. */
  deleteGroup(id: string): void;
  /** Adds a user or group (nesting) as direct member; a no-op when already a member. */
  addMember(groupId: string, memberId: string): void;
  removeMember(groupId: string, memberId: string): void;
  /** `addMember` for a child group, named for readability. */
  nestGroup(parentId: string, childId: string): void;
  addServicePrincipal(input: ServicePrincipalInput): SimServicePrincipal;
  /** Assigns an app role (default access role when `appRoleId` is absent) to a principal. */
  assignAppRole(spId: string, principalId: string, appRoleId?: string): SimAppRoleAssignment;
  unassignAppRole(spId: string, assignmentId: string): void;
  /** Makes every outstanding delta token answer 410 Gone (a forced resync). */
  forceResync(): void;
  /** Empties all tables (the change log keeps running). */
  clear(): void;
};

/** What the directory needs from the simulator. */
export type DirectoryDeps = { now: () => number; prng: Prng; tenantDomain: string };

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '.')
      .replace(/^\.|\.$/g, '') || 'user'
  );
}

/** Creates an empty directory. */
export function createDirectory(deps: DirectoryDeps): EntraDirectory {
  const state = createState();
  const log = createChangeLog(deps.now);
  const iso = (): string => new Date(deps.now()).toISOString();
  const touch = (): void => {
    state.revision += 1;
  };

  const liveUser = (id: string): SimUser => {
    const user = findUser(state, id);
    if (!user) {
      throw new Error(`no live user ${id}`);
    }
    return user;
  };
  const liveGroup = (id: string): SimGroup => {
    const group = findGroup(state, id);
    if (!group) {
      throw new Error(`no live group ${id}`);
    }
    return group;
  };
  const link = (groupId: string, memberId: string, type: MemberType): void =>
    linkMember(state, log, groupId, memberId, type);
  const unlink = (groupId: string, memberId: string): void =>
    unlinkMember(state, log, groupId, memberId);
  const leaveParents = (id: string): void => leaveParentGroups(state, log, id);

  const directory: EntraDirectory = {
    state,
    log,
    addUser: input => {
      const id = input.id ?? deps.prng.guid();
      if (state.users.has(id)) {
        throw new Error(`user ${id} already exists`);
      }
      const upn = input.userPrincipalName ?? `${slug(input.displayName)}@${deps.tenantDomain}`;
      const user: SimUser = {
        id,
        displayName: input.displayName,
        givenName: input.givenName ?? null,
        surname: input.surname ?? null,
        mail: input.mail === undefined ? upn : input.mail,
        userPrincipalName: upn,
        jobTitle: input.jobTitle ?? null,
        accountEnabled: input.accountEnabled ?? true,
        createdDateTime: iso(),
        deletedDateTime: null,
      };
      state.users.set(id, user);
      log.append({ kind: 'user', id, props: ['*'] });
      touch();
      return user;
    },
    updateUser: (id, patch) => {
      const user = liveUser(id);
      const changed = (Object.keys(patch) as (keyof UserPatch)[]).filter(
        key => patch[key] !== undefined && patch[key] !== user[key],
      );
      Object.assign(user, Object.fromEntries(changed.map(key => [key, patch[key]])));
      if (changed.length > 0) {
        log.append({ kind: 'user', id, props: changed });
        touch();
      }
      return user;
    },
    disableUser: id => directory.updateUser(id, { accountEnabled: false }),
    enableUser: id => directory.updateUser(id, { accountEnabled: true }),
    softDeleteUser: id => {
      const user = liveUser(id);
      leaveParents(id);
      user.deletedDateTime = iso();
      log.append({ kind: 'user', id, props: ['*'] });
      touch();
    },
    restoreUser: id => {
      const user = state.users.get(id);
      if (!user || user.deletedDateTime === null) {
        throw new Error(`no soft-deleted user ${id}`);
      }
      user.deletedDateTime = null;
      log.append({ kind: 'user', id, props: ['*'] });
      for (const groupId of state.deletedMemberships.get(id) ?? []) {
        if (findGroup(state, groupId)) {
          link(groupId, id, 'user');
        }
      }
      state.deletedMemberships.delete(id);
      touch();
      return user;
    },
    purgeUser: id => {
      if (findUser(state, id)) {
        leaveParents(id);
      }
      if (!state.users.delete(id)) {
        throw new Error(`no user ${id}`);
      }
      state.deletedMemberships.delete(id);
      state.memberOf.delete(id);
      for (const [spId, list] of state.assignments) {
        state.assignments.set(
          spId,
          list.filter(a => a.principalId !== id),
        );
      }
      log.append({ kind: 'user', id, props: ['*'] });
      touch();
    },
    addGroup: input => {
      const id = input.id ?? deps.prng.guid();
      if (state.groups.has(id)) {
        throw new Error(`group ${id} already exists`);
      }
      const group: SimGroup = {
        id,
        displayName: input.displayName,
        description: input.description ?? null,
        mail: input.mail ?? null,
        mailNickname: input.mailNickname ?? slug(input.displayName),
        mailEnabled: input.mailEnabled ?? false,
        securityEnabled: input.securityEnabled ?? true,
        groupTypes: input.groupTypes ?? [],
        createdDateTime: iso(),
        deletedDateTime: null,
      };
      state.groups.set(id, group);
      log.append({ kind: 'group', id, props: ['*'] });
      touch();
      return group;
    },
    renameGroup: (id, displayName) => {
      const group = liveGroup(id);
      if (group.displayName !== displayName) {
        group.displayName = displayName;
        log.append({ kind: 'group', id, props: ['displayName'] });
        touch();
      }
      return group;
    },
    deleteGroup: id => {
      const group = liveGroup(id);
      leaveParents(id);
      group.deletedDateTime = iso();
      log.append({ kind: 'group', id, props: ['*'] });
      touch();
    },
    addMember: (groupId, memberId) => {
      liveGroup(groupId);
      if (memberId === groupId) {
        throw new Error(`group ${groupId} cannot be a member of itself`);
      }
      const type: MemberType | undefined = findUser(state, memberId)
        ? 'user'
        : findGroup(state, memberId)
          ? 'group'
          : undefined;
      if (type === undefined) {
        throw new Error(`no live user or group ${memberId}`);
      }
      link(groupId, memberId, type);
    },
    removeMember: (groupId, memberId) => {
      liveGroup(groupId);
      unlink(groupId, memberId);
    },
    nestGroup: (parentId, childId) => {
      liveGroup(childId);
      directory.addMember(parentId, childId);
    },
    addServicePrincipal: input => {
      touch();
      return addServicePrincipal(state, deps.prng, input);
    },
    assignAppRole: (spId, principalId, appRoleId) => {
      touch();
      return assignAppRole(state, deps.prng, iso(), { spId, principalId, appRoleId });
    },
    unassignAppRole: (spId, assignmentId) => {
      touch();
      unassignAppRole(state, spId, assignmentId);
    },
    forceResync: () => log.bumpGeneration(),
    clear: () => {
      const fresh = createState();
      Object.assign(state, fresh, { revision: state.revision + 1 });
    },
  };
  return directory;
}
