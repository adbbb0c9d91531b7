/**
 * Request bodies of the `/user/*` and `/key/*` routes, from LiteLLM's pydantic models
 * (`NewUserRequest`, `UpdateUserRequest`, `DeleteUserRequest`, `GenerateKeyRequest`,
 * `KeyRequest`, `BlockKeyRequest`).
 */
import type { z } from 'zod';

import { pydanticSchema } from '../validation/body.js';
import { isPlainObject, py } from '../validation/py-checks.js';

const { str, int, float, bool, dict, anything, list, literal, model, required, optional } = py;

/** The roles `/user/new` and `/user/update` accept; pydantic prints them as enum members. */
export const USER_ROLES = [
  'proxy_admin',
  'proxy_admin_viewer',
  'internal_user',
  'internal_user_viewer',
] as const;

const roleCheck = literal(USER_ROLES, [
  "<LitellmUserRoles.PROXY_ADMIN: 'proxy_admin'>",
  "<LitellmUserRoles.PROXY_ADMIN_VIEW_ONLY: 'proxy_admin_viewer'>",
  "<LitellmUserRoles.INTERNAL_USER: 'internal_user'>",
  "<LitellmUserRoles.INTERNAL_USER_VIEW_ONLY: 'internal_user_viewer'>",
]);

/** `GenerateRequestBase` fields the simulator stores. */
const generateBase = {
  key_alias: optional(str),
  duration: optional(str),
  models: optional(list(str), []),
  spend: optional(float),
  max_budget: optional(float),
  user_id: optional(str),
  team_id: optional(str),
  metadata: optional(dict, {}),
  tpm_limit: optional(int),
  rpm_limit: optional(int),
  budget_duration: optional(str),
  blocked: optional(bool),
} as const;

/** `POST /user/new`. */
export const newUserSchema = pydanticSchema(
  model({
    ...generateBase,
    user_email: optional(str),
    user_alias: optional(str),
    user_role: optional(roleCheck),
    teams: optional(list(anything)),
    auto_create_key: py.withDefault(bool, true),
    send_invite_email: optional(bool),
    sso_user_id: optional(str),
    organizations: optional(list(str)),
  }),
);
/** Parsed `/user/new` body. */
export type NewUserRequest = z.infer<typeof newUserSchema>;

/** `POST /user/update`: one of `user_id` / `user_email` (a before-validator). */
export const updateUserSchema = pydanticSchema(
  model(
    {
      ...generateBase,
      user_email: optional(str),
      user_alias: optional(str),
      user_role: optional(roleCheck),
      sso_user_id: optional(str),
      teams: optional(list(str)),
      password: optional(str),
    },
    raw =>
      isPlainObject(raw) &&
      (raw.user_id === undefined || raw.user_id === null) &&
      (raw.user_email === undefined || raw.user_email === null)
        ? 'Either user id or user email must be provided'
        : undefined,
  ),
);
/** Parsed `/user/update` body. */
export type UpdateUserRequest = z.infer<typeof updateUserSchema>;

/** `POST /user/delete`. */
export const deleteUserSchema = pydanticSchema(model({ user_ids: required(list(str)) }));

/** `POST /key/generate`. */
export const generateKeySchema = pydanticSchema(
  model({
    ...generateBase,
    key: optional(str),
    soft_budget: optional(float),
    tags: optional(list(anything)),
    guardrails: optional(list(str)),
    organization_id: optional(str),
  }),
);
/** Parsed `/key/generate` body. */
export type GenerateKeyRequest = z.infer<typeof generateKeySchema>;

/** `POST /key/delete`: `keys` or `key_aliases`, checked with Python truthiness. */
export const keyRequestSchema = pydanticSchema(
  model({ keys: optional(list(str)), key_aliases: optional(list(str)) }, raw => {
    const empty = (v: unknown) => v === undefined || v === null || (Array.isArray(v) && !v.length);
    return isPlainObject(raw) && empty(raw.keys) && empty(raw.key_aliases)
      ? "At least one of 'keys' or 'key_aliases' must be provided."
      : undefined;
  }),
);

/** `POST /key/block` and `/key/unblock`. */
export const blockKeySchema = pydanticSchema(model({ key: required(str) }));
