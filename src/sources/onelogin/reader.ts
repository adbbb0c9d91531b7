/**
 * The OneLogin reads this source makes, over the typed client, each parsed through `api.ts`.
 */
import { SyncError } from '../../errors.js';
import {
  oneloginRoleSchema,
  oneloginUserSchema,
  roleMemberSchema,
  type OneLoginRole,
  type OneLoginUser,
} from './api.js';
import type { OneLoginClient } from './client.js';

/** The reads; every list is read to its last page or throws. */
export type OneLoginReader = {
  /** `GET /api/2/users` (all users, or those changed since `updatedSince`). */
  listUsers(updatedSince: string | undefined, signal?: AbortSignal): Promise<OneLoginUser[]>;
  /** `GET /api/2/users?email=` or `?username=`. */
  findUsers(
    filter: { email: string } | { username: string },
    signal?: AbortSignal,
  ): Promise<OneLoginUser[]>;
  /** `GET /api/2/users/{id}`; `undefined` when OneLogin says 404. */
  getUser(id: string, signal?: AbortSignal): Promise<OneLoginUser | undefined>;
  /** `GET /api/2/roles`. */
  listRoles(signal?: AbortSignal): Promise<OneLoginRole[]>;
  /** Ids of the users assigned to a role (`GET /api/2/roles/{id}/users`). */
  listRoleMemberIds(roleId: string, signal?: AbortSignal): Promise<string[]>;
};

/** The reads over `client`. */
export function createOneLoginReader(client: OneLoginClient): OneLoginReader {
  return {
    listUsers: (updatedSince, signal) =>
      client.list(
        '/api/2/users',
        updatedSince === undefined ? {} : { updated_since: updatedSince },
        oneloginUserSchema,
        signal,
      ),
    findUsers: (filter, signal) => client.list('/api/2/users', filter, oneloginUserSchema, signal),
    getUser: async (id, signal) => {
      if (!/^\d+$/.test(id)) {
        throw new SyncError('SOURCE_INVALID_RESPONSE', `OneLogin user ids are numbers (got ${id})`);
      }
      return client.get(`/api/2/users/${id}`, {}, oneloginUserSchema, signal);
    },
    listRoles: signal => client.list('/api/2/roles', {}, oneloginRoleSchema, signal),
    listRoleMemberIds: async (roleId, signal) => {
      const members = await client.list(
        `/api/2/roles/${encodeURIComponent(roleId)}/users`,
        {},
        roleMemberSchema,
        signal,
      );
      return [
        ...new Set(
          members.filter(member => member.assigned !== false).map(member => String(member.id)),
        ),
      ];
    },
  };
}
