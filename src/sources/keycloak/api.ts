/**
 * The shapes this source relies on in Keycloak's admin answers, checked at the boundary.
 * `enabled` may be missing: that user's status is unknown (see `map.ts`), never defaulted.
 *
 * @see /work/shared/reference/idp-apis.md §F
 */
import { z } from 'zod';

/** A user (`/users`, `/users/{id}`, `/groups/{id}/members`). */
export const keycloakUserSchema = z.object({
  id: z.string().min(1),
  username: z.string().min(1),
  email: z.string().nullish(),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  enabled: z.boolean().nullish(),
});

/** A user as read. */
export type KeycloakUser = z.infer<typeof keycloakUserSchema>;

/** A group as listed: Keycloak ≥ 23 gives `subGroupCount`; older ones nest `subGroups`. */
export type KeycloakGroup = {
  readonly id: string;
  readonly name: string;
  readonly path?: string | null | undefined;
  readonly subGroupCount?: number | null | undefined;
  readonly subGroups?: readonly KeycloakGroup[] | null | undefined;
};

/** A group (`/groups`, `/groups/{id}/children`, `/users/{id}/groups`). */
export const keycloakGroupSchema: z.ZodType<KeycloakGroup> = z.lazy(() =>
  z.object({
    id: z.string().min(1),
    name: z.string(),
    path: z.string().nullish(),
    subGroupCount: z.number().int().nonnegative().nullish(),
    subGroups: z.array(keycloakGroupSchema).nullish(),
  }),
);
