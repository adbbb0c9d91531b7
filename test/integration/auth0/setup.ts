/**
 * Test set-up shared by the Auth0 source tests: a simulator seeded with a scenario, and a source
 * configured against it (the SDK keeps `https://<domain>`, the transport rewrites it to the
 * simulator).
 */
import { silentLogger } from '../../../src/log.js';
import { createAuth0Simulator } from '../../../src/sim/auth0/server.js';
import type { ScenarioInput } from '../../../src/sim/auth0/tenant.js';
import type { Auth0Simulator, Auth0SimulatorOptions } from '../../../src/sim/auth0/types.js';
import {
  auth0SourceConfigSchema,
  createAuth0Source,
  type Auth0Source,
  type Auth0SourceConfigInput,
  type Auth0SourceOptions,
} from '../../../src/sources/auth0/index.js';
import { flattenMembers } from '../../../src/sources/flatten.js';
import type { SourceDeps } from '../../../src/sources/types.js';
import { createSqliteStore } from '../../../src/store/sqlite.js';
import type { ContractDirectory } from '../../contract/source.contract.js';

export const clientId = 'sim-m2m-client';
export const clientSecret = 'sim-m2m-secret-0123456789';

/** A simulator accepting {@link clientId}, seeded with `scenario`. */
export function startAuth0(
  scenario: ScenarioInput,
  options: Auth0SimulatorOptions = {},
): Promise<Auth0Simulator> {
  return createAuth0Simulator({
    clients: [{ id: clientId, secret: clientSecret }],
    scenario,
    ...options,
  });
}

/** Builds a source against `sim`; waits are instant unless `options.sleep` says otherwise. */
export function auth0SourceFor(
  sim: Auth0Simulator,
  config: Partial<Auth0SourceConfigInput> = {},
  deps: Partial<SourceDeps> = {},
  options: Auth0SourceOptions = {},
): Auth0Source {
  const parsed = auth0SourceConfigSchema.parse({
    domain: sim.domain,
    baseUrl: sim.url,
    clientId,
    clientSecret,
    scope: { ids: [], namePrefix: 'ai-', all: false },
    exportPollMs: 0,
    ...config,
  });
  return createAuth0Source(
    parsed,
    {
      fetch,
      logger: silentLogger(),
      state: createSqliteStore(':memory:').sourceState('auth0'),
      now: () => new Date(),
      ...deps,
    },
    { random: () => 0, sleep: async () => {}, ...options },
  );
}

/**
 * The contract directory as an Auth0 tenant. Roles (or organizations) play the groups. Neither
 * nests, so each gets its flattened members — what an administrator would assign by hand to give
 * the same access; disabled users are `blocked`, and keep their roles as Auth0 keeps them.
 */
export function contractScenario(
  directory: ContractDirectory,
  as: 'roles' | 'organizations' = 'roles',
): ScenarioInput {
  const flat = flattenMembers(
    directory.groups.map(group => ({
      externalId: group.id,
      name: group.name,
      userIds: group.members,
      groupIds: group.groups,
    })),
  );
  const groups = flat.groups.map(group => ({
    id: group.externalId,
    name: group.name,
    members: [...group.memberIds],
  }));
  return {
    users: directory.users.map(user => ({
      user_id: user.id,
      email: user.email,
      name: user.name,
      blocked: user.active ? undefined : true,
    })),
    ...(as === 'roles' ? { roles: groups } : { organizations: groups }),
  };
}

/** Collects an async iterable. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const result: T[] = [];
  for await (const item of items) {
    result.push(item);
  }
  return result;
}
