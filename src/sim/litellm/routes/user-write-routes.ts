/**
 * `POST /user/update` and `POST /user/delete` (internal_user_endpoints.py @00025c84).
 *
 * @see /work/shared/reference/litellm-api.md §5.2, §5.5
 */
import { randomUUID } from 'node:crypto';

import type { SimDb } from '../db.js';
import { ok, type Route } from '../router.js';
import {
  deleteUserSchema,
  updateUserSchema,
  type UpdateUserRequest,
} from '../schemas/user-key-schemas.js';
import { deleteKeysOwnedBy } from '../store/key-store.js';
import { userJson } from '../store/rows-json.js';
import { teamsByIds, updateTeam } from '../store/team-store.js';
import {
  deleteUsers,
  getUser,
  insertUser,
  updateUser,
  usersByEmail,
  type UserFields,
} from '../store/user-store.js';
import type { SimUser } from '../types.js';
import { parseBody } from '../validation/body.js';

const UPDATABLE = [
  'user_email',
  'user_alias',
  'user_role',
  'sso_user_id',
  'teams',
  'models',
  'metadata',
  'budget_duration',
  'tpm_limit',
  'rpm_limit',
  'spend',
] as const;

function isEmpty(value: unknown): boolean {
  return (
    value === null ||
    value === undefined ||
    (Array.isArray(value) && value.length === 0) ||
    (typeof value === 'object' && value !== null && Object.keys(value).length === 0)
  );
}

/**
 * `_update_internal_user_params`: null, `[]` and `{}` are dropped, so nothing can be cleared;
 * `max_budget` is the exception and is written whenever it was sent (even as null).
 */
function userPatch(data: UpdateUserRequest): Partial<UserFields> {
  const patch: Record<string, unknown> = {};
  for (const field of UPDATABLE) {
    if (!isEmpty(data[field])) {
      patch[field] = data[field];
    }
  }
  if (data.max_budget !== undefined) {
    patch.max_budget = data.max_budget;
  }
  return patch;
}

/** Prisma `upsert` by id, create and update with the same data. */
function upsertUser(db: SimDb, userId: string, patch: Partial<UserFields>): SimUser {
  try {
    return getUser(db, userId) ? updateUser(db, userId, patch) : insertUser(db, userId, patch);
  } catch {
    // Prisma's unique violation (only `sso_user_id` can clash), reported as "Authentication Error, …".
    throw new Error('Unique constraint failed on the fields: (`sso_user_id`)');
  }
}

const updateUserRoute: Route = {
  method: 'POST',
  path: '/user/update',
  errorStyle: 'proxy-auth',
  handle({ db, body }) {
    const data = parseBody(updateUserSchema, body);
    if (!data.user_id && !data.user_email) {
      throw new Error('Either user_id or user_email must be provided');
    }
    const patch = userPatch(data);
    if (data.user_id) {
      // `update_data` upserts, so an unknown user_id creates the user (UNVERIFIED in the reference).
      const user = upsertUser(db, data.user_id, patch);
      return ok({ user_id: user.user_id, data: userJson(user) });
    }
    const email = data.user_email ?? '';
    const [first] = usersByEmail(db, email);
    if (first) {
      // Only the first user with that e-mail is updated.
      const user = upsertUser(db, first.user_id, patch);
      return ok({ user_id: user.user_id, data: userJson(user) });
    }
    // No such e-mail: LiteLLM inserts a new random-uuid user and returns the bare row.
    return ok(userJson(upsertUser(db, randomUUID(), { ...patch, user_email: email })));
  },
};

const deleteUserRoute: Route = {
  method: 'POST',
  path: '/user/delete',
  errorStyle: 'raw',
  handle({ db, body }) {
    const data = parseBody(deleteUserSchema, body);
    for (const userId of data.user_ids) {
      const user = getUser(db, userId);
      if (user === undefined) {
        // Returned, not thrown: the member cleanup already done for earlier ids stays committed.
        const detail = { error: `User not found, passed user_id=${userId}` };
        return { status: 404, body: { detail } };
      }
      for (const team of teamsByIds(db, user.teams)) {
        const remaining = team.members_with_roles.filter(
          m =>
            !(m.user_id !== null && m.user_id === user.user_id) &&
            !(user.user_email !== null && m.user_email === user.user_email),
        );
        if (remaining.length !== team.members_with_roles.length) {
          updateTeam(db, team.team_id, { members_with_roles: remaining });
        }
      }
    }
    deleteKeysOwnedBy(db, 'user_id', data.user_ids);
    // LiteLLM returns Prisma's `delete_many` result: the number of users deleted.
    return ok(deleteUsers(db, data.user_ids));
  },
};

/** User update and delete routes. */
export const userWriteRoutes: readonly Route[] = [updateUserRoute, deleteUserRoute];
