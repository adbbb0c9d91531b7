/**
 * Group and app operations of the simulated org: groups (Okta has no nesting), memberships (the
 * `BUILT_IN` Everyone group holds every user implicitly) and app group assignments.
 */
import { compareIds, DirectoryError, type DirectoryStore } from './directory-store.js';
import type { GroupType, SimApp, SimGroup, SimUser } from './types.js';

/** What a new group may specify. */
export type NewGroup = {
  id?: string | undefined;
  name: string;
  description?: string | null | undefined;
  type?: Exclude<GroupType, 'BUILT_IN'> | undefined;
};

/** The group and app operations over `store`. */
export function groupOperations(store: DirectoryStore) {
  const { users, groups, apps, stamp, newId, user, group, app } = store;
  const touchMembership = (target: SimGroup): void => {
    target.lastMembershipUpdated = stamp();
  };

  return {
    createGroup(input: NewGroup): SimGroup {
      const at = stamp();
      const created: SimGroup = {
        id: input.id ?? newId('00g'),
        type: input.type ?? 'OKTA_GROUP',
        created: at,
        lastUpdated: at,
        lastMembershipUpdated: at,
        profile: { name: input.name, description: input.description ?? null },
        members: new Set(),
      };
      if (groups.has(created.id)) {
        throw new DirectoryError('invalid', `A group with id ${created.id} already exists`);
      }
      groups.set(created.id, created);
      return created;
    },
    renameGroup(id: string, name: string, description?: string | null): SimGroup {
      const target = group(id);
      target.profile = { name, description: description ?? target.profile.description };
      target.lastUpdated = stamp();
      return target;
    },
    deleteGroup(id: string): void {
      const target = group(id);
      if (target.type === 'BUILT_IN') {
        throw new DirectoryError('invalid', 'Cannot delete the Everyone group.');
      }
      groups.delete(id);
      for (const a of apps.values()) {
        a.groups = a.groups.filter(g => g !== id);
      }
    },
    addMember(groupId: string, userId: string): void {
      const target = group(groupId);
      user(userId);
      if (target.type === 'BUILT_IN') {
        throw new DirectoryError('invalid', 'Cannot modify the membership of the Everyone group.');
      }
      if (!target.members.has(userId)) {
        target.members.add(userId);
        touchMembership(target);
      }
    },
    removeMember(groupId: string, userId: string): void {
      const target = group(groupId);
      if (target.members.delete(userId)) {
        touchMembership(target);
      }
    },
    /** Member users in id order; everyone for the `BUILT_IN` group. */
    membersOf(groupId: string): SimUser[] {
      const target = group(groupId);
      const ids = target.type === 'BUILT_IN' ? [...users.keys()] : [...target.members];
      return ids
        .map(id => users.get(id))
        .filter((u): u is SimUser => u !== undefined)
        .sort((a, b) => compareIds(a.id, b.id));
    },
    /** The user's groups, `Everyone` included, in id order. */
    groupsOf(userId: string): SimGroup[] {
      user(userId);
      return [...groups.values()]
        .filter(g => g.type === 'BUILT_IN' || g.members.has(userId))
        .sort((a, b) => compareIds(a.id, b.id));
    },

    createApp(input: { id?: string | undefined; label: string }): SimApp {
      const created: SimApp = { id: input.id ?? newId('0oa'), label: input.label, groups: [] };
      apps.set(created.id, created);
      return created;
    },
    assignGroup(appId: string, groupId: string): void {
      const target = app(appId);
      group(groupId);
      if (!target.groups.includes(groupId)) {
        target.groups.push(groupId);
      }
    },
    unassignGroup(appId: string, groupId: string): void {
      const target = app(appId);
      target.groups = target.groups.filter(g => g !== groupId);
    },
  };
}
