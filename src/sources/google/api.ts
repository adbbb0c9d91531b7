/**
 * The shapes this source relies on in Directory API answers, checked at the boundary. Unknown
 * fields pass through; a missing `suspended` is kept as missing (see `map.ts`), never defaulted.
 *
 * @see /work/shared/reference/idp-apis.md §E "Endpoints"
 */
import { z } from 'zod';

/** A Directory API user (`users.list`, `users.get`). */
export const googleUserSchema = z.object({
  id: z.string().min(1),
  primaryEmail: z.string().min(1),
  name: z
    .object({
      fullName: z.string().nullish(),
      givenName: z.string().nullish(),
      familyName: z.string().nullish(),
    })
    .nullish(),
  suspended: z.boolean().nullish(),
  archived: z.boolean().nullish(),
});

/** A Directory API user as read. */
export type GoogleUser = z.infer<typeof googleUserSchema>;

/** A Directory API group (`groups.list`). */
export const googleGroupSchema = z.object({
  id: z.string().min(1),
  email: z.string().nullish(),
  name: z.string().nullish(),
});

/** A Directory API group as read. */
export type GoogleGroup = z.infer<typeof googleGroupSchema>;

/** A group member (`members.list`): a user, a nested group, or the whole customer. */
export const googleMemberSchema = z.object({
  id: z.string().nullish(),
  email: z.string().nullish(),
  type: z.string().nullish(),
  status: z.string().nullish(),
});

/** A group member as read. */
export type GoogleMember = z.infer<typeof googleMemberSchema>;

/** A page of `users.list`; `nextPageToken` is absent on the last page. */
export const usersPageSchema = z.object({
  // Google leaves the list out of an empty page, so the page's `kind` is what proves this is a
  // real users page and not some other 200 (a proxy's `{}`), which would read as "nobody".
  kind: z.literal('admin#directory#users'),
  users: z.array(googleUserSchema).nullish(),
  nextPageToken: z.string().nullish(),
});

/** A page of `groups.list`. */
export const groupsPageSchema = z.object({
  // Google leaves the list out of an empty page, so the page's `kind` is what proves this is a
  // real groups page and not some other 200 (a proxy's `{}`), which would read as "nobody".
  kind: z.literal('admin#directory#groups'),
  groups: z.array(googleGroupSchema).nullish(),
  nextPageToken: z.string().nullish(),
});

/** A page of `members.list`. */
export const membersPageSchema = z.object({
  // Google leaves the list out of an empty page, so the page's `kind` is what proves this is a
  // real members page and not some other 200 (a proxy's `{}`), which would read as "nobody".
  kind: z.literal('admin#directory#members'),
  members: z.array(googleMemberSchema).nullish(),
  nextPageToken: z.string().nullish(),
});
