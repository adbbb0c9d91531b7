/**
 * User operations of the simulated org: creation, profile changes and Okta's lifecycle
 * (suspend, unsuspend, deactivate, activate, delete), each moving the timestamps Okta moves.
 */
import { DirectoryError, type DirectoryStore } from './directory-store.js';
import { userStatuses, type SimUser, type UserStatus } from './types.js';

/** Every status a user can be deactivated from: all but `DEPROVISIONED` itself. */
const notDeprovisioned = userStatuses.filter(s => s !== 'DEPROVISIONED');

/** What a new user may specify; the rest gets Okta's defaults. */
export type NewUser = {
  id?: string | undefined;
  login: string;
  email?: string | undefined;
  firstName?: string | null | undefined;
  lastName?: string | null | undefined;
  displayName?: string | undefined;
  status?: UserStatus | undefined;
};

/** The user operations over `store`. */
export function userOperations(store: DirectoryStore) {
  const { users, groups, everyone, stamp, newId, user } = store;
  const setStatus = (target: SimUser, status: UserStatus): SimUser => {
    const at = stamp();
    if (status === 'ACTIVE' && target.activated === null) {
      target.activated = at;
    }
    target.status = status;
    target.statusChanged = at;
    target.lastUpdated = at;
    return target;
  };
  /** By id, or by login case-insensitively (Okta's `/users/{idOrLogin}`). */
  const findUser = (idOrLogin: string): SimUser | undefined => {
    const byId = users.get(idOrLogin);
    if (byId !== undefined) {
      return byId;
    }
    const folded = idOrLogin.toLowerCase();
    return [...users.values()].find(u => u.profile.login.toLowerCase() === folded);
  };
  const touchMembership = (target: { lastMembershipUpdated: string }): void => {
    target.lastMembershipUpdated = stamp();
  };
  const requireStatus = (target: SimUser, allowed: readonly UserStatus[], action: string) => {
    if (!allowed.includes(target.status)) {
      throw new DirectoryError('invalid', `Cannot ${action} a user with status ${target.status}.`);
    }
  };

  return {
    findUser,
    createUser(input: NewUser): SimUser {
      const id = input.id ?? newId('00u');
      if (users.has(id) || findUser(input.login) !== undefined) {
        throw new DirectoryError('invalid', `login: An object with this field already exists`);
      }
      const at = stamp();
      const status = input.status ?? 'ACTIVE';
      const created: SimUser = {
        id,
        status,
        created: at,
        activated: status === 'STAGED' ? null : at,
        statusChanged: status === 'STAGED' ? null : at,
        lastLogin: null,
        lastUpdated: at,
        passwordChanged: null,
        profile: {
          login: input.login,
          email: input.email ?? input.login,
          firstName: input.firstName ?? null,
          lastName: input.lastName ?? null,
          displayName: input.displayName,
        },
      };
      users.set(id, created);
      touchMembership(everyone);
      return created;
    },

    updateProfile(id: string, patch: Partial<SimUser['profile']>): SimUser {
      const target = user(id);
      target.profile = { ...target.profile, ...patch };
      target.lastUpdated = stamp();
      return target;
    },

    /** Sets any status directly (scenario set-up); the lifecycle operations below check Okta's rules. */
    setStatus: (id: string, status: UserStatus): SimUser => setStatus(user(id), status),
    suspend(id: string): SimUser {
      const target = user(id);
      requireStatus(target, ['ACTIVE'], 'suspend');
      return setStatus(target, 'SUSPENDED');
    },
    unsuspend(id: string): SimUser {
      const target = user(id);
      requireStatus(target, ['SUSPENDED'], 'unsuspend');
      return setStatus(target, 'ACTIVE');
    },
    /** Deactivation: `DEPROVISIONED`, still a member of every group it was in. */
    deactivate(id: string): SimUser {
      const target = user(id);
      requireStatus(target, notDeprovisioned, 'deactivate');
      return setStatus(target, 'DEPROVISIONED');
    },
    /**
     * Activation of a staged or deactivated user. Real Okta answers `PROVISIONED` until the user
     * sets a password; the simulator goes straight to `ACTIVE` (both count as active).
     */
    activate(id: string): SimUser {
      const target = user(id);
      requireStatus(target, ['STAGED', 'DEPROVISIONED'], 'activate');
      return setStatus(target, 'ACTIVE');
    },
    /** `DELETE /users/{id}`: deactivates first; on a deactivated user, deletes it for good. */
    deleteUser(id: string): 'deactivated' | 'deleted' {
      const target = user(id);
      if (target.status !== 'DEPROVISIONED') {
        setStatus(target, 'DEPROVISIONED');
        return 'deactivated';
      }
      users.delete(id);
      touchMembership(everyone);
      for (const g of groups.values()) {
        if (g.members.delete(id)) {
          touchMembership(g);
        }
      }
      return 'deleted';
    },
  };
}
