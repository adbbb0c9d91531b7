/**
 * The Microsoft Graph v1.0 payloads this source reads, parsed at the boundary. Objects are loose
 * (Graph adds properties freely); the fields we rely on are checked.
 *
 * @see https://learn.microsoft.com/graph/api/resources/user
 * @see https://learn.microsoft.com/graph/delta-query-overview
 */
import { z } from 'zod';

/** The user properties read everywhere; `accountEnabled` only comes back when selected. */
export const userSelect = 'id,displayName,mail,userPrincipalName,accountEnabled';

/** Group properties and navigation tracked by group delta. */
export const groupDeltaSelect = 'displayName,members';

const id = z.string().min(1);
const optionalText = z.string().nullish();

/** A user from `/users` or `/users/{id}`: every selected property is there. */
export const graphUserSchema = z.object({
  id,
  displayName: optionalText,
  mail: optionalText,
  userPrincipalName: z.string(),
  accountEnabled: z.boolean(),
});
export type GraphUser = z.infer<typeof graphUserSchema>;

/** A group from `/groups` or a `transitiveMemberOf/microsoft.graph.group` cast. */
export const graphGroupSchema = z.object({ id, displayName: optionalText });
export type GraphGroup = z.infer<typeof graphGroupSchema>;

/** `@removed.reason`: `changed` = soft-deleted (restorable for 30 days), `deleted` = gone. */
const removedSchema = z.object({ reason: z.string().optional() });

export const userOdataType = '#microsoft.graph.user';
export const groupOdataType = '#microsoft.graph.group';

/** A member of `/groups/{id}/members`: devices, contacts and service principals are ignored. */
export const directoryObjectSchema = z.object({ '@odata.type': z.string().optional(), id });
export type DirectoryObject = z.infer<typeof directoryObjectSchema>;

/** One entry of `/users/delta`: a changed user (any subset of properties) or a removal. */
export const deltaUserSchema = graphUserSchema.partial().extend({
  id,
  '@removed': removedSchema.optional(),
});
export type DeltaUser = z.infer<typeof deltaUserSchema>;

/** One slice of `members@delta`: an added member, or one with `@removed`. */
export const memberDeltaSchema = directoryObjectSchema.extend({
  '@removed': removedSchema.optional(),
});

/** One entry of `/groups/delta`; the same group may come again on later pages with more members. */
export const deltaGroupSchema = z.object({
  id,
  displayName: optionalText,
  'members@delta': z.array(memberDeltaSchema).optional(),
  '@removed': removedSchema.optional(),
});
export type DeltaGroup = z.infer<typeof deltaGroupSchema>;

/** One entry of `/servicePrincipals/{id}/appRoleAssignedTo`. */
export const appRoleAssignmentSchema = z.object({
  principalId: id,
  principalType: z.string().nullish(),
});

/** A collection page: items, then either a next page or (delta) the link for the next round. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    value: z.array(item),
    '@odata.nextLink': z.string().optional(),
    '@odata.deltaLink': z.string().optional(),
  });
}

/** The `$batch` envelope; inner bodies are parsed by whoever asked for them. */
export const batchResponseSchema = z.object({
  responses: z.array(
    z.object({
      id: z.string(),
      status: z.number().int(),
      headers: z.record(z.string(), z.string()).optional(),
      body: z.unknown().optional(),
    }),
  ),
});

/** Graph's error body; everything optional so that a proxy's odd body still yields a status. */
export const graphErrorSchema = z.object({
  error: z.object({
    code: z.string().optional(),
    message: z.string().optional(),
    innerError: z.object({ 'request-id': z.string().optional() }).loose().optional(),
  }),
});
