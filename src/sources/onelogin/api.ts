/**
 * The shapes this source relies on in OneLogin API v2 answers, checked at the boundary. Only
 * the fields used are required; ids are integers on the wire and strings in the model.
 *
 * @see /work/shared/reference/idp-apis.md §H
 */
import { z } from 'zod';

/** `POST /auth/oauth2/v2/token`. */
export const tokenSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().positive().nullish(),
});

/** A user (`/api/2/users`, `/api/2/users/{id}`). */
export const oneloginUserSchema = z.object({
  id: z.number().int(),
  username: z.string().nullish(),
  email: z.string().nullish(),
  firstname: z.string().nullish(),
  lastname: z.string().nullish(),
  status: z.number().int().nullish(),
  /** Present on user reads; its presence in list answers is UNVERIFIED, so it is optional. */
  role_ids: z.array(z.number().int()).nullish(),
  updated_at: z.string().nullish(),
});

/** A user as read. */
export type OneLoginUser = z.infer<typeof oneloginUserSchema>;

/** A role (`/api/2/roles`). */
export const oneloginRoleSchema = z.object({ id: z.number().int(), name: z.string().min(1) });

/** A role as read. */
export type OneLoginRole = z.infer<typeof oneloginRoleSchema>;

/** An entry of `/api/2/roles/{id}/users` (exact shape UNVERIFIED: only `id` is relied on). */
export const roleMemberSchema = z.object({
  id: z.number().int(),
  /** `false` for users listed with `include_unassigned=true` only. */
  assigned: z.boolean().nullish(),
});

/** A role member as read. */
export type RoleMember = z.infer<typeof roleMemberSchema>;
