/**
 * The simulated Okta org: users, groups and apps, changed only through operations that carry
 * Okta's timestamp semantics, because incremental sync depends on them:
 * - a profile or status change moves the user's `lastUpdated` (status also `statusChanged`);
 * - a membership change moves the group's `lastMembershipUpdated`, never the user's `lastUpdated`;
 * - a rename moves the group's `lastUpdated`;
 * - deactivation keeps the user in their groups (status `DEPROVISIONED`); only deletion removes
 *   the memberships (which moves those groups' `lastMembershipUpdated`).
 *
 * @see /work/shared/reference/idp-apis.md §C "Deletion / disabled", "Incremental sync"
 */
import { groupOperations } from './directory-groups.js';
import { DirectoryError, type DirectoryStore } from './directory-store.js';
import { userOperations } from './directory-users.js';
import type { SimApp, SimGroup, SimUser } from './types.js';

export { compareIds, DirectoryError, type DirectoryStore } from './directory-store.js';

/** The org's state and the operations that change it. */
export type Directory = ReturnType<typeof createDirectory>;

const base62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * Creates an org holding only the `Everyone` group. `now` is the simulator's clock; `random` its
 * seeded PRNG (ids are reproducible per seed).
 */
export function createDirectory(now: () => number, random: () => number) {
  const stamp = (): string => new Date(Math.floor(now() / 1000) * 1000).toISOString();
  const newId = (prefix: string): string => {
    let id = prefix;
    while (id.length < 20) {
      id += base62[Math.floor(random() * base62.length)];
    }
    return id;
  };
  const created = stamp();
  const everyone: SimGroup = {
    id: newId('00g'),
    type: 'BUILT_IN',
    created,
    lastUpdated: created,
    lastMembershipUpdated: created,
    profile: { name: 'Everyone', description: 'All users in your organization' },
    members: new Set(),
  };
  const users = new Map<string, SimUser>();
  const groups = new Map<string, SimGroup>([[everyone.id, everyone]]);
  const apps = new Map<string, SimApp>();
  const lookup =
    <T>(map: Map<string, T>, kind: string) =>
    (id: string): T => {
      const found = map.get(id);
      if (found === undefined) {
        throw new DirectoryError('not-found', `Not found: Resource not found: ${id} (${kind})`);
      }
      return found;
    };
  const store: DirectoryStore = {
    users,
    groups,
    apps,
    everyone,
    stamp,
    newId,
    user: lookup(users, 'User'),
    group: lookup(groups, 'UserGroup'),
    app: lookup(apps, 'AppInstance'),
  };
  return {
    users: users as ReadonlyMap<string, SimUser>,
    groups: groups as ReadonlyMap<string, SimGroup>,
    apps: apps as ReadonlyMap<string, SimApp>,
    everyoneId: everyone.id,
    newId,
    user: store.user,
    group: store.group,
    app: store.app,
    ...userOperations(store),
    ...groupOperations(store),
  };
}
