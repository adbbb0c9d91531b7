/**
 * The in-memory Auth0 tenant behind the simulator: users, roles and organizations with their
 * members, in insertion order (which is the order the API pages them in), plus a scenario
 * loader and a generator for large tenants.
 */
import { z } from 'zod';

import type { Prng } from '../shared/prng.js';

/** A user as the tenant stores it (the fields the Management API returns). */
export type SimUser = {
  user_id: string;
  email?: string | undefined;
  username?: string | undefined;
  name?: string | undefined;
  nickname?: string | undefined;
  blocked?: boolean | undefined;
  created_at: string;
  updated_at: string;
};

/** A role or an organization with its member ids. */
export type SimRole = { id: string; name: string; description: string; members: Set<string> };
export type SimOrganization = {
  id: string;
  name: string;
  display_name?: string | undefined;
  members: Set<string>;
};

/** The whole tenant. */
export type Tenant = {
  readonly users: Map<string, SimUser>;
  readonly roles: Map<string, SimRole>;
  readonly organizations: Map<string, SimOrganization>;
};

const memberList = z.array(z.string().min(1)).default([]);

/** A tenant as plain data (in-process or `POST /__sim/scenario`). Ids are generated when absent. */
export const scenarioSchema = z.object({
  users: z
    .array(
      z.object({
        user_id: z.string().min(1).optional(),
        email: z.string().optional(),
        username: z.string().optional(),
        name: z.string().optional(),
        nickname: z.string().optional(),
        blocked: z.boolean().optional(),
      }),
    )
    .default([]),
  roles: z
    .array(
      z.object({ id: z.string().min(1).optional(), name: z.string().min(1), members: memberList }),
    )
    .default([]),
  organizations: z
    .array(
      z.object({
        id: z.string().min(1).optional(),
        name: z.string().min(1),
        display_name: z.string().optional(),
        members: memberList,
      }),
    )
    .default([]),
  /** Adds this many generated users (`user00001@example.com`, …; every 10th blocked). */
  generatedUsers: z.int().min(0).default(0),
});

/** A scenario before defaults. */
export type ScenarioInput = z.input<typeof scenarioSchema>;

/** An empty tenant. */
export function createTenant(): Tenant {
  return { users: new Map(), roles: new Map(), organizations: new Map() };
}

/** `auth0|` + 24 hex digits, `rol_` / `org_` + 16 alphanumerics, as Auth0 shapes its ids. */
export function newId(prng: Prng, prefix: 'auth0|' | 'rol_' | 'org_' | 'job_'): string {
  const alphabet =
    prefix === 'auth0|'
      ? '0123456789abcdef'
      : 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const length = prefix === 'auth0|' ? 24 : 16;
  return prefix + Array.from({ length }, () => alphabet[prng.int(alphabet.length)] ?? '0').join('');
}

/**
 * Adds a scenario to the tenant. Members name users by `user_id`, or by e-mail for users whose
 * id was generated. E-mails are stored lower-cased, as Auth0's database connections do.
 */
export function loadScenario(
  tenant: Tenant,
  input: ScenarioInput,
  prng: Prng,
  nowIso: string,
): void {
  const scenario = scenarioSchema.parse(input);
  const byEmail = new Map<string, string>();
  const addUser = (
    user: Omit<SimUser, 'created_at' | 'updated_at' | 'user_id'> & { user_id?: string | undefined },
  ) => {
    const id = user.user_id ?? newId(prng, 'auth0|');
    const email = user.email?.toLowerCase();
    tenant.users.set(id, { ...user, user_id: id, email, created_at: nowIso, updated_at: nowIso });
    if (email !== undefined) {
      byEmail.set(email, id);
    }
  };
  scenario.users.forEach(addUser);
  for (let n = 1; n <= scenario.generatedUsers; n += 1) {
    const label = `user${String(n).padStart(5, '0')}`;
    addUser({
      email: `${label}@example.com`,
      name: `User ${n}`,
      nickname: label,
      blocked: n % 10 === 0 ? true : undefined,
    });
  }
  const resolve = (ref: string): string => {
    const id = tenant.users.has(ref) ? ref : byEmail.get(ref.toLowerCase());
    if (id === undefined) {
      throw new Error(`scenario: unknown member ${ref}`);
    }
    return id;
  };
  for (const role of scenario.roles) {
    const id = role.id ?? newId(prng, 'rol_');
    tenant.roles.set(id, {
      id,
      name: role.name,
      description: '',
      members: new Set(role.members.map(resolve)),
    });
  }
  for (const org of scenario.organizations) {
    const id = org.id ?? newId(prng, 'org_');
    tenant.organizations.set(id, {
      id,
      name: org.name,
      display_name: org.display_name,
      members: new Set(org.members.map(resolve)),
    });
  }
}

/** The user as the Management API returns it (absent fields left out). */
export function userJson(user: SimUser): Record<string, unknown> {
  return Object.fromEntries(Object.entries(user).filter(([, value]) => value !== undefined));
}

/** A member as `/roles/{id}/users` and `/organizations/{id}/members` list it. */
export function memberJson(user: SimUser): Record<string, unknown> {
  return userJson({
    user_id: user.user_id,
    email: user.email,
    name: user.name,
    picture: 'https://s.gravatar.com/avatar/0?s=480',
  } as unknown as SimUser);
}
