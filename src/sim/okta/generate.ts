/**
 * A seeded generator for large orgs (benchmarks, budget tests): N users, M groups named
 * `<prefix><index>`, each with a fixed number of members drawn from the users, and a share of
 * users suspended or deactivated. The same seed gives the same org.
 */
import { z } from 'zod';

import type { Directory } from './directory.js';

/** Generator parameters (the `generate` block of a scenario). */
export const generatorSchema = z.object({
  users: z.int().min(0),
  groups: z.int().min(0),
  membersPerGroup: z.int().min(0).default(10),
  groupNamePrefix: z.string().default('gen-'),
  /** Share of users made `SUSPENDED` (0–1). */
  suspendedShare: z.number().min(0).max(1).default(0),
  /** Share of users made `DEPROVISIONED`, still in their groups (0–1). */
  deprovisionedShare: z.number().min(0).max(1).default(0),
  /** Domain of generated logins. */
  domain: z.string().default('example.com'),
});

/** Generator parameters after defaults. */
export type GeneratorOptions = z.infer<typeof generatorSchema>;

/** Adds the generated users and groups to `directory`; returns their ids. */
export function generateOrg(
  directory: Directory,
  input: z.input<typeof generatorSchema>,
  random: () => number,
): { userIds: string[]; groupIds: string[] } {
  const options = generatorSchema.parse(input);
  const width = String(Math.max(options.users, options.groups)).length;
  const pad = (n: number) => String(n).padStart(width, '0');
  const userIds: string[] = [];
  for (let i = 0; i < options.users; i += 1) {
    const login = `user${pad(i)}@${options.domain}`;
    const user = directory.createUser({
      login,
      email: login,
      firstName: 'User',
      lastName: pad(i),
    });
    const draw = random();
    if (draw < options.suspendedShare) {
      directory.setStatus(user.id, 'SUSPENDED');
    } else if (draw < options.suspendedShare + options.deprovisionedShare) {
      directory.setStatus(user.id, 'DEPROVISIONED');
    }
    userIds.push(user.id);
  }
  const groupIds: string[] = [];
  const perGroup = Math.min(options.membersPerGroup, userIds.length);
  for (let g = 0; g < options.groups; g += 1) {
    const group = directory.createGroup({ name: `${options.groupNamePrefix}${pad(g)}` });
    // A random window of consecutive users: cheap, and every user lands in some group.
    const start = Math.floor(random() * Math.max(1, userIds.length));
    for (let k = 0; k < perGroup; k += 1) {
      directory.addMember(group.id, userIds[(start + k) % userIds.length] as string);
    }
    groupIds.push(group.id);
  }
  return { userIds, groupIds };
}
