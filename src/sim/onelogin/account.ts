/**
 * The in-memory OneLogin account behind the simulator: users with their `status` codes and
 * roles with their members, with integer ids and `updated_at` stamps from the simulator's clock
 * (so `updated_since` works), plus a scenario loader and a generator for large accounts.
 */
import { z } from 'zod';

/** A user as the account stores it. `role_ids` is derived from the roles when served. */
export type SimUser = {
  id: number;
  username?: string | undefined;
  email?: string | undefined;
  firstname?: string | undefined;
  lastname?: string | undefined;
  /** 0 Unactivated, 1 Active, 2 Suspended, 3 Locked, 4 Password expired, 5 Awaiting reset, 7 Password pending, 8 Security questions. */
  status: number;
  state: number;
  created_at: string;
  updated_at: string;
};

/** A role and its member ids. */
export type SimRole = { id: number; name: string; members: Set<number> };

/** The account. */
export type Account = {
  readonly users: Map<number, SimUser>;
  readonly roles: Map<number, SimRole>;
  /** Next id to hand out. */
  nextId: number;
};

/** An account as plain data (in-process or `POST /__sim/scenario`). */
export const scenarioSchema = z.object({
  users: z
    .array(
      z.object({
        id: z.int().positive().optional(),
        username: z.string().optional(),
        email: z.string().optional(),
        firstname: z.string().optional(),
        lastname: z.string().optional(),
        status: z.int().min(0).default(1),
      }),
    )
    .default([]),
  /** Members name users by id, username or e-mail. */
  roles: z
    .array(
      z.object({
        id: z.int().positive().optional(),
        name: z.string().min(1),
        members: z.array(z.union([z.int(), z.string().min(1)])).default([]),
      }),
    )
    .default([]),
  /** Adds this many generated users (`user00001`, …; every 10th suspended, every 25th locked). */
  generatedUsers: z.int().min(0).default(0),
});

/** A scenario before defaults. */
export type ScenarioInput = z.input<typeof scenarioSchema>;

/** An empty account; ids start where OneLogin's do, well above zero. */
export function createAccount(): Account {
  return { users: new Map(), roles: new Map(), nextId: 100_001 };
}

/** Adds a scenario to the account. */
export function loadScenario(account: Account, input: ScenarioInput, nowIso: string): void {
  const scenario = scenarioSchema.parse(input);
  const take = (id: number | undefined) => {
    const value = id ?? account.nextId;
    account.nextId = Math.max(account.nextId, value + 1);
    return value;
  };
  const add = (
    user: Omit<SimUser, 'id' | 'state' | 'created_at' | 'updated_at'> & { id?: number | undefined },
  ) => {
    const id = take(user.id);
    account.users.set(id, { ...user, id, state: 1, created_at: nowIso, updated_at: nowIso });
  };
  scenario.users.forEach(add);
  for (let n = 1; n <= scenario.generatedUsers; n += 1) {
    const username = `user${String(n).padStart(5, '0')}`;
    add({
      username,
      email: `${username}@example.com`,
      firstname: 'User',
      lastname: String(n),
      status: n % 25 === 0 ? 3 : n % 10 === 0 ? 2 : 1,
    });
  }
  const resolve = (ref: number | string): number => {
    if (typeof ref === 'number' && account.users.has(ref)) {
      return ref;
    }
    const needle = String(ref).toLowerCase();
    const found = [...account.users.values()].find(
      u => u.username?.toLowerCase() === needle || u.email?.toLowerCase() === needle,
    );
    if (found === undefined) {
      throw new Error(`scenario: unknown member ${ref}`);
    }
    return found.id;
  };
  for (const role of scenario.roles) {
    const id = take(role.id);
    account.roles.set(id, { id, name: role.name, members: new Set(role.members.map(resolve)) });
  }
}

/** A user as `/api/2/users` returns it, `role_ids` included. */
export function userJson(account: Account, user: SimUser): Record<string, unknown> {
  const roleIds = [...account.roles.values()]
    .filter(role => role.members.has(user.id))
    .map(role => role.id);
  return { ...user, role_ids: roleIds };
}

/** Changes a user (status, names…) and stamps `updated_at`, as an admin edit would. */
export function updateUser(
  account: Account,
  id: number,
  change: Partial<Omit<SimUser, 'id'>>,
  nowIso: string,
): void {
  const user = account.users.get(id);
  if (user === undefined) {
    throw new Error(`no user ${id}`);
  }
  account.users.set(id, { ...user, ...change, updated_at: nowIso });
}
