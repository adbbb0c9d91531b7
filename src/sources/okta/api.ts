/**
 * The shapes this source relies on in Okta's answers, checked at the boundary. The SDK hands over
 * its model objects (timestamps already turned into `Date`s, enums passed through as strings), so
 * the schemas accept both a `Date` and an ISO string, and keep unknown statuses and types as
 * strings rather than failing a whole page on a value Okta adds later.
 *
 * @see /work/shared/reference/idp-apis.md §C "Endpoints" (fields)
 */
import { z } from 'zod';

/** A timestamp as the SDK gives it (`Date`) or as raw JSON has it (ISO string). */
const timestampSchema = z
  .union([z.date().refine(date => !Number.isNaN(date.getTime()), 'invalid date'), z.string()])
  .transform(value => (value instanceof Date ? value.toISOString() : value));

/** An Okta user (`/api/v1/users`, `/api/v1/groups/{id}/users`, `/api/v1/users/{id}`). */
export const oktaUserSchema = z.object({
  id: z.string().min(1),
  status: z.string().min(1),
  lastUpdated: timestampSchema.nullish(),
  profile: z.object({
    login: z.string().min(1),
    email: z.string().nullish(),
    firstName: z.string().nullish(),
    lastName: z.string().nullish(),
    displayName: z.string().nullish(),
  }),
});

/** An Okta user as read. */
export type OktaUser = z.infer<typeof oktaUserSchema>;

/** An Okta group (`/api/v1/groups`, `/api/v1/users/{id}/groups`). */
export const oktaGroupSchema = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  lastUpdated: timestampSchema.nullish(),
  lastMembershipUpdated: timestampSchema.nullish(),
  profile: z.object({ name: z.string(), description: z.string().nullish() }),
});

/** An Okta group as read. */
export type OktaGroup = z.infer<typeof oktaGroupSchema>;

/** One entry of `/api/v1/apps/{appId}/groups`: its `id` is the assigned group's id. */
export const appGroupAssignmentSchema = z.object({ id: z.string().min(1) });

/** An app group assignment as read. */
export type AppGroupAssignment = z.infer<typeof appGroupAssignmentSchema>;
