/**
 * Test set-up shared by the OneLogin source tests: a simulator seeded with a scenario, and a
 * source configured against it with an in-memory state store.
 */
import { silentLogger } from '../../../src/log.js';
import type { ScenarioInput } from '../../../src/sim/onelogin/account.js';
import { createOneLoginSimulator } from '../../../src/sim/onelogin/server.js';
import type {
  OneLoginSimulator,
  OneLoginSimulatorOptions,
} from '../../../src/sim/onelogin/types.js';
import { flattenMembers } from '../../../src/sources/flatten.js';
import {
  createOneLoginSource,
  oneloginSourceConfigSchema,
  type OneLoginSource,
  type OneLoginSourceConfigInput,
  type OneLoginSourceOptions,
} from '../../../src/sources/onelogin/index.js';
import type { SourceDeps, SourceState } from '../../../src/sources/types.js';
import { createSqliteStore } from '../../../src/store/sqlite.js';
import type { ContractFixture } from '../../contract/source.contract.js';

export const clientId = 'sim-api-credential';
export const clientSecret = 'sim-api-secret-0123456789abcdef';

/** A simulator accepting {@link clientId}, seeded with `scenario`. */
export function startOneLogin(
  scenario: ScenarioInput,
  options: OneLoginSimulatorOptions = {},
): Promise<OneLoginSimulator> {
  return createOneLoginSimulator({
    clients: [{ id: clientId, secret: clientSecret }],
    scenario,
    ...options,
  });
}

/** A fresh in-memory state namespace. */
export function memoryState(): SourceState {
  return createSqliteStore(':memory:').sourceState('onelogin');
}

/** Builds a source against `sim`; waits are instant unless `options.sleep` says otherwise. */
export function oneloginSourceFor(
  sim: OneLoginSimulator,
  config: Partial<OneLoginSourceConfigInput> = {},
  deps: Partial<SourceDeps> = {},
  options: OneLoginSourceOptions = {},
): OneLoginSource {
  const parsed = oneloginSourceConfigSchema.parse({
    baseUrl: sim.url,
    clientId,
    clientSecret,
    scope: { ids: [], namePrefix: 'ai-', all: false },
    ...config,
  });
  return createOneLoginSource(
    parsed,
    { fetch, logger: silentLogger(), state: memoryState(), now: () => new Date(), ...deps },
    { random: () => 0, sleep: () => Promise.resolve(), ...options },
  );
}

/**
 * The contract fixture as a OneLogin account. OneLogin ids are integers, so every contract id
 * is substituted (users from 100001, roles from 200001) and the fixture returned with them.
 * Roles play the groups; roles do not nest, so each role gets its flattened members (what an
 * administrator would assign by hand); disabled users are suspended (status 2) and keep their
 * roles, as OneLogin keeps them.
 */
export function contractAccount(fixture: ContractFixture): {
  scenario: ScenarioInput;
  fixture: ContractFixture;
} {
  const ids = new Map<string, string>();
  fixture.directory.users.forEach((user, index) => ids.set(user.id, String(100_001 + index)));
  fixture.directory.groups.forEach((group, index) => ids.set(group.id, String(200_001 + index)));
  const id = (contractId: string) => ids.get(contractId) ?? contractId;
  const flat = flattenMembers(
    fixture.directory.groups.map(group => ({
      externalId: group.id,
      name: group.name,
      userIds: group.members,
      groupIds: group.groups,
    })),
  );
  const scenario: ScenarioInput = {
    users: fixture.directory.users.map(user => {
      const [firstname, ...rest] = user.name.split(' ');
      return {
        id: Number(id(user.id)),
        username: user.login,
        email: user.email,
        firstname,
        lastname: rest.join(' '),
        status: user.active ? 1 : 2,
      };
    }),
    roles: flat.groups.map(group => ({
      id: Number(id(group.externalId)),
      name: group.name,
      members: group.memberIds.map(m => Number(id(m))),
    })),
  };
  return {
    scenario,
    fixture: {
      ...fixture,
      directory: {
        users: fixture.directory.users.map(user => ({ ...user, id: id(user.id) })),
        groups: fixture.directory.groups.map(group => ({
          ...group,
          id: id(group.id),
          members: group.members.map(id),
          groups: group.groups.map(id),
        })),
      },
      expectedGroups: fixture.expectedGroups.map(group => ({
        ...group,
        externalId: id(group.externalId),
        memberIds: group.memberIds.map(id),
      })),
      disabledUserId: id(fixture.disabledUserId),
      twoPathUserId: id(fixture.twoPathUserId),
      outOfScopeUserId: id(fixture.outOfScopeUserId),
    },
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
