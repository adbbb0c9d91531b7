/**
 * Plain-data scenarios for the Entra simulator: users, groups (members by id, users or nested
 * groups) and service principals with app role assignments. Parsed with zod so a typo in a test
 * fixture fails loudly with the path of the bad field.
 */
import { z } from 'zod';

import type { EntraDirectory } from './directory/directory.js';
import { groupInputSchema, servicePrincipalInputSchema, userInputSchema } from './inputs.js';

/** A whole tenant. `members` and `principalId` refer to ids given in the same scenario. */
export const entraScenarioSchema = z.object({
  users: z.array(userInputSchema.extend({ deleted: z.boolean().optional() })).default([]),
  groups: z
    .array(
      groupInputSchema.extend({
        members: z.array(z.string()).optional(),
        deleted: z.boolean().optional(),
      }),
    )
    .default([]),
  servicePrincipals: z
    .array(
      servicePrincipalInputSchema.extend({
        assignments: z
          .array(z.object({ principalId: z.string(), appRoleId: z.string().optional() }))
          .optional(),
      }),
    )
    .default([]),
});
/** Scenario as written by hand (arrays optional). */
export type EntraScenario = z.input<typeof entraScenarioSchema>;

/**
 * Replaces the directory's content with `scenario`. The change log is reset afterwards, so the
 * loaded state is the starting point of delta rounds (and older delta tokens answer 410 Gone).
 *
 * @throws ZodError on a malformed scenario; Error on an unknown member or principal id.
 */
export function loadScenario(directory: EntraDirectory, scenario: EntraScenario): void {
  const data = entraScenarioSchema.parse(scenario);
  directory.clear();
  const userIds = data.users.map(({ deleted: _deleted, ...u }) => directory.addUser(u).id);
  const groupIds = data.groups.map(
    ({ members: _m, deleted: _d, ...g }) => directory.addGroup(g).id,
  );
  data.groups.forEach((group, index) => {
    for (const memberId of group.members ?? []) {
      directory.addMember(groupIds[index] ?? '', memberId);
    }
  });
  for (const sp of data.servicePrincipals) {
    const { assignments, ...input } = sp;
    const created = directory.addServicePrincipal(input);
    for (const assignment of assignments ?? []) {
      directory.assignAppRole(created.id, assignment.principalId, assignment.appRoleId);
    }
  }
  data.users.forEach((user, index) => {
    if (user.deleted) {
      directory.softDeleteUser(userIds[index] ?? '');
    }
  });
  data.groups.forEach((group, index) => {
    if (group.deleted) {
      directory.deleteGroup(groupIds[index] ?? '');
    }
  });
  directory.log.reset();
}
