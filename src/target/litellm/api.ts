/**
 * Zod schemas for every LiteLLM response the client reads, and their mapping to the `Target`
 * types. Strict on the fields we rely on (ids, roles, paging), lenient on the rest: unknown
 * fields are dropped, and nullable columns default to empty values.
 *
 * @see /work/shared/reference/litellm-api.md §4–§6, §9
 */
import { z } from 'zod';
import type { Key, Team, User } from '../types.js';

const metadataSchema = z.record(z.string(), z.unknown()).nullish();

/** One entry of a team's `members_with_roles` (LiteLLM `Member`). */
export const memberSchema = z.object({
  user_id: z.string().nullish(),
  user_email: z.string().nullish(),
  role: z.enum(['admin', 'user']),
});

/** A `LiteLLM_TeamTable` row, as returned by `/v2/team/list` and inside `/team/info`. */
export const teamRowSchema = z.object({
  team_id: z.string().min(1),
  team_alias: z.string().nullish(),
  metadata: metadataSchema,
  members_with_roles: z.array(memberSchema).nullish(),
  blocked: z.boolean().nullish(),
});
export type TeamRow = z.infer<typeof teamRowSchema>;

/*
 * `total_pages` is Optional in LiteLLM's response models (KeyListResponseObject), so it is
 * nullish here too; the pager then falls back to "a full page means there may be more".
 */
const totalPagesSchema = z.number().int().nonnegative().nullish();

/** `GET /v2/team/list`: `{teams, total, page, page_size, total_pages}`. */
export const teamListPageSchema = z.object({
  teams: z.array(teamRowSchema),
  total_pages: totalPagesSchema,
});

/** `GET /team/info`: `{team_id, team_info, keys, team_memberships}`; only the row is read. */
export const teamInfoSchema = z.object({ team_info: teamRowSchema });

/** `POST /team/new`: the created team row. */
export const teamNewResponseSchema = z.object({ team_id: z.string() });

/** Answers we do not read beyond "it is a JSON object" (`/team/update`, `/team/member_*`, …). */
export const objectResponseSchema = z.object({});

/** A `LiteLLM_UserTable` row from `/user/list`. */
export const userRowSchema = z.object({
  user_id: z.string().min(1),
  user_email: z.string().nullish(),
  sso_user_id: z.string().nullish(),
  user_role: z.string().nullish(),
  teams: z.array(z.string()).nullish(),
  metadata: metadataSchema,
});
export type UserRow = z.infer<typeof userRowSchema>;

/** `GET /user/list`: `{users, total, page, page_size, total_pages}`. */
export const userListPageSchema = z.object({
  users: z.array(userRowSchema),
  total_pages: totalPagesSchema,
});

/** `POST /user/new`: `key` is `""` when `auto_create_key` is false. */
export const userNewResponseSchema = z.object({
  user_id: z.string().nullish(),
  key: z.string().nullish(),
});

/** `POST /user/update`: a DB helper's return value, not pinned down in the reference; unread. */
export const userUpdateResponseSchema = z.unknown();

/** `POST /user/delete`: a DB helper's return value (a count in prisma-client-py); unread. */
export const userDeleteResponseSchema = z.unknown();

/** A full key object (`UserAPIKeyAuth`) from `/key/list?return_full_object=true`. */
export const keyObjectSchema = z.object({
  /** The sha256 hash; the plaintext is never listed. */
  token: z.string().min(1),
  user_id: z.string().nullish(),
  team_id: z.string().nullish(),
  key_alias: z.string().nullish(),
  blocked: z.boolean().nullish(),
  metadata: metadataSchema,
});
export type KeyObject = z.infer<typeof keyObjectSchema>;

/** `GET /key/list`: `{keys, total_count, current_page, total_pages}`. */
export const keyListPageSchema = z.object({
  keys: z.array(keyObjectSchema),
  total_pages: totalPagesSchema,
});

/** `POST /key/delete`: `{deleted_keys: <the input list echoed>}`. */
export const keyDeleteResponseSchema = z.object({ deleted_keys: z.array(z.unknown()).nullish() });

/** Maps a team row to the engine's `Team`. */
export function toTeam(row: TeamRow): Team {
  return {
    teamId: row.team_id,
    alias: row.team_alias ?? null,
    metadata: row.metadata ?? {},
    members: (row.members_with_roles ?? []).map(member => ({
      userId: member.user_id ?? null,
      email: member.user_email ?? null,
      role: member.role,
    })),
    blocked: row.blocked ?? false,
  };
}

/** Maps a user row to the engine's `User`. */
export function toUser(row: UserRow): User {
  return {
    userId: row.user_id,
    email: row.user_email ?? null,
    ssoUserId: row.sso_user_id ?? null,
    role: row.user_role ?? null,
    teams: row.teams ?? [],
    metadata: row.metadata ?? {},
  };
}

/** Maps a full key object to the engine's `Key`. */
export function toKey(row: KeyObject): Key {
  return {
    token: row.token,
    userId: row.user_id ?? null,
    teamId: row.team_id ?? null,
    alias: row.key_alias ?? null,
    blocked: row.blocked ?? false,
    metadata: row.metadata ?? {},
  };
}
