/**
 * User endpoints: `/user/list`, `/user/new`, `/user/update`, `/user/delete`
 * (reference litellm-api.md §5).
 */
import type { NewUser, Target, User, UserPatch } from '../types.js';
import {
  toUser,
  userDeleteResponseSchema,
  userListPageSchema,
  userNewResponseSchema,
  userUpdateResponseSchema,
} from './api.js';
import { isAlreadyExists, isEntityNotFound } from './errors.js';
import { paginate } from './paginate.js';
import type { Requester } from './request.js';

/** The user half of the `Target` port. */
export type UserOps = Pick<
  Target,
  'listUsers' | 'findUsers' | 'createUser' | 'updateUser' | 'deleteUser'
>;

/** Ids per `/user/list?user_ids=` request, to keep the URL short. */
const ID_BATCH = 50;

/** Creates the user operations over `requester`. */
export function createUserOps(requester: Requester): UserOps {
  const listWhere = (
    filter: Readonly<Record<string, string>>,
    signal: AbortSignal | undefined,
  ): AsyncGenerator<User> =>
    paginate(
      async page => {
        const body = await requester.data(
          {
            method: 'GET',
            path: '/user/list',
            query: {
              ...filter,
              page,
              page_size: requester.pageSize,
              // Primary-key order: stable pages (the default `created_at desc` has ties).
              sort_by: 'user_id',
              sort_order: 'asc',
            },
            schema: userListPageSchema,
          },
          signal,
        );
        return { items: body.users.map(toUser), totalPages: body.total_pages };
      },
      requester.pageSize,
      user => user.userId,
    );

  return {
    listUsers(signal) {
      return listWhere({}, signal);
    },

    async findUsers(query, signal) {
      const lookups = findFilters(query).map(async ({ filter, matches }) => {
        const found: User[] = [];
        for await (const user of listWhere(filter, signal)) {
          if (matches(user)) {
            found.push(user);
          }
        }
        return found;
      });
      const byId = new Map<string, User>();
      for (const user of (await Promise.all(lookups)).flat()) {
        byId.set(user.userId, user);
      }
      return [...byId.values()];
    },

    async createUser(user: NewUser, signal) {
      const body: Record<string, unknown> = {
        user_id: user.userId,
        user_role: user.role,
        metadata: user.metadata,
        // LiteLLM defaults this to true and would mint a virtual key for every synced user.
        auto_create_key: false,
      };
      if (user.email !== null) {
        body.user_email = user.email;
      }
      if (user.ssoUserId !== null) {
        body.sso_user_id = user.ssoUserId;
      }
      if (user.alias !== null) {
        body.user_alias = user.alias;
      }
      const result = await requester.call(
        {
          method: 'POST',
          path: '/user/new',
          body,
          schema: userNewResponseSchema,
          tolerate: isAlreadyExists,
        },
        signal,
      );
      if (result.kind === 'tolerated') {
        return 'exists';
      }
      if (typeof result.data.key === 'string' && result.data.key !== '') {
        // The proxy ignored auto_create_key=false; say so, but never log the key itself.
        requester.logger.warn(
          { endpoint: 'POST /user/new', userId: user.userId },
          'LiteLLM created a virtual key although auto_create_key was false',
        );
      }
      return 'created';
    },

    async updateUser(userId: string, patch: UserPatch, signal) {
      // LiteLLM ignores null, [] and {} here, so "clear a field" cannot be expressed anyway.
      const fields: Record<string, unknown> = {};
      if (patch.email !== undefined) {
        fields.user_email = patch.email;
      }
      if (patch.role !== undefined) {
        fields.user_role = patch.role;
      }
      if (patch.ssoUserId !== undefined) {
        fields.sso_user_id = patch.ssoUserId;
      }
      if (patch.metadata !== undefined) {
        fields.metadata = patch.metadata;
      }
      if (Object.keys(fields).length === 0) {
        return;
      }
      await requester.data(
        {
          method: 'POST',
          path: '/user/update',
          body: { user_id: userId, ...fields },
          schema: userUpdateResponseSchema,
        },
        signal,
      );
    },

    async deleteUser(userId, signal) {
      // Deleting a user also deletes every key it owns, UI session keys included (§5.5).
      const result = await requester.call(
        {
          method: 'POST',
          path: '/user/delete',
          body: { user_ids: [userId] },
          schema: userDeleteResponseSchema,
          tolerate: isEntityNotFound,
        },
        signal,
      );
      return result.kind === 'ok' ? 'deleted' : 'absent';
    },
  };
}

type FindQuery = Parameters<Target['findUsers']>[0];

/**
 * One `/user/list` filter per criterion (LiteLLM ANDs its filters; we want OR), each with the
 * exact test to apply afterwards: a single `user_ids` value and `user_email` are substring
 * matches on LiteLLM's side (§5.4). Ids containing a comma cannot be asked for and are missed.
 */
function findFilters(
  query: FindQuery,
): { filter: Record<string, string>; matches: (user: User) => boolean }[] {
  const filters: { filter: Record<string, string>; matches: (user: User) => boolean }[] = [];
  const ids = [...new Set(query.userIds ?? [])];
  for (let start = 0; start < ids.length; start += ID_BATCH) {
    const batch = new Set(ids.slice(start, start + ID_BATCH));
    filters.push({ filter: { user_ids: [...batch].join(',') }, matches: u => batch.has(u.userId) });
  }
  const { ssoUserId, email } = query;
  if (ssoUserId !== undefined) {
    filters.push({ filter: { sso_user_ids: ssoUserId }, matches: u => u.ssoUserId === ssoUserId });
  }
  if (email !== undefined) {
    const wanted = email.trim().toLowerCase();
    filters.push({
      filter: { user_email: email.trim() },
      matches: u => u.email?.trim().toLowerCase() === wanted,
    });
  }
  return filters;
}
