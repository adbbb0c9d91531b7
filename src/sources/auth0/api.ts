/**
 * The shapes this source relies on in Auth0 Management API v2 answers, checked at the boundary.
 * Only the fields used are required; everything else passes through unread.
 *
 * @see /work/shared/reference/idp-apis.md §G
 */
import { z } from 'zod';

/** A user (`/users`, `/users/{id}`, `/users-by-email`, one line of a users export). */
export const auth0UserSchema = z.object({
  user_id: z.string().min(1),
  email: z.string().nullish(),
  username: z.string().nullish(),
  name: z.string().nullish(),
  nickname: z.string().nullish(),
  /** Set by an administrator (or brute-force protection); absent means not blocked. */
  blocked: z.boolean().nullish(),
});

/** A user as read. */
export type Auth0User = z.infer<typeof auth0UserSchema>;

/** A member as `/roles/{id}/users` and `/organizations/{id}/members` list them (no `blocked`). */
export const auth0MemberSchema = z.object({
  user_id: z.string().min(1),
  email: z.string().nullish(),
  name: z.string().nullish(),
});

/** A member as read. */
export type Auth0Member = z.infer<typeof auth0MemberSchema>;

/** A role (`/roles`, `/users/{id}/roles`). */
export const auth0RoleSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
});

/** An organization (`/organizations`, `/users/{id}/organizations`). */
export const auth0OrganizationSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  display_name: z.string().nullish(),
});

/** A role or organization as read. */
export type Auth0Role = z.infer<typeof auth0RoleSchema>;
export type Auth0Organization = z.infer<typeof auth0OrganizationSchema>;

/** `GET /jobs/{id}` for a users export. */
export const auth0JobSchema = z.object({
  id: z.string().min(1),
  status: z.string().min(1),
  location: z.string().nullish(),
  percentage_done: z.number().nullish(),
});

/** A users-export job as read. */
export type Auth0Job = z.infer<typeof auth0JobSchema>;
