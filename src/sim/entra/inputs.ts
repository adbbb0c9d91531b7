/**
 * Zod schemas (and types) of the objects tests create: users, groups, service principals. Shared
 * by the directory's mutation API, the scenario loader and the `/__sim/mutate` control route.
 */
import { z } from 'zod';

/** A user to create; omitted fields get Entra-like defaults. */
export const userInputSchema = z.object({
  id: z.string().min(1).optional(),
  displayName: z.string().min(1),
  userPrincipalName: z.string().min(1).optional(),
  mail: z.string().nullable().optional(),
  givenName: z.string().nullable().optional(),
  surname: z.string().nullable().optional(),
  jobTitle: z.string().nullable().optional(),
  accountEnabled: z.boolean().optional(),
});
export type UserInput = z.infer<typeof userInputSchema>;

/** A group to create. */
export const groupInputSchema = z.object({
  id: z.string().min(1).optional(),
  displayName: z.string().min(1),
  description: z.string().nullable().optional(),
  mail: z.string().nullable().optional(),
  mailNickname: z.string().optional(),
  mailEnabled: z.boolean().optional(),
  securityEnabled: z.boolean().optional(),
  groupTypes: z.array(z.string()).optional(),
});
export type GroupInput = z.infer<typeof groupInputSchema>;

/** A service principal to create, with the app roles its application exposes. */
export const servicePrincipalInputSchema = z.object({
  id: z.string().min(1).optional(),
  appId: z.string().min(1).optional(),
  displayName: z.string().min(1),
  appRoles: z
    .array(
      z.object({
        id: z.string().min(1).optional(),
        value: z.string().nullable(),
        displayName: z.string().optional(),
      }),
    )
    .optional(),
});
export type ServicePrincipalInput = z.infer<typeof servicePrincipalInputSchema>;
