/**
 * Test set-up shared by the Okta source tests: a simulator seeded with a scenario, and a source
 * configured against it with an in-memory state store.
 */
import { generateKeyPairSync } from 'node:crypto';

import { silentLogger } from '../../../src/log.js';
import type { ContractDirectory } from '../../contract/source.contract.js';
import { flattenMembers } from '../../../src/sources/flatten.js';
import type { ScenarioInput } from '../../../src/sim/okta/scenario.js';
import { createOktaSimulator } from '../../../src/sim/okta/server.js';
import type { OktaSimulator } from '../../../src/sim/okta/simulator.js';
import type { OktaSimulatorOptions } from '../../../src/sim/okta/types.js';
import {
  createOktaSource,
  oktaSourceConfigSchema,
  type OktaSource,
  type OktaSourceConfigInput,
  type OktaSourceOptions,
} from '../../../src/sources/okta/index.js';
import type { SourceDeps, SourceState } from '../../../src/sources/types.js';
import { createSqliteStore } from '../../../src/store/sqlite.js';

export const apiToken = '00sim-api-token-0123456789abcdef';

/** A simulator accepting {@link apiToken}, seeded with `scenario`. */
export function startOkta(
  scenario: ScenarioInput,
  options: OktaSimulatorOptions = {},
): Promise<OktaSimulator> {
  return createOktaSimulator({ apiTokens: [apiToken], scenario, ...options });
}

/** A fresh in-memory state namespace. */
export function memoryState(): SourceState {
  return createSqliteStore(':memory:').sourceState('okta');
}

/** Builds a source against `sim` (token auth unless `config` says otherwise). */
export function oktaSourceFor(
  sim: OktaSimulator,
  config: Partial<OktaSourceConfigInput> = {},
  deps: Partial<SourceDeps> = {},
  options: OktaSourceOptions = {},
): OktaSource {
  const parsed = oktaSourceConfigSchema.parse({
    orgUrl: sim.url,
    apiToken: config.clientId === undefined ? apiToken : undefined,
    scope: { ids: [], namePrefix: 'ai-', all: false },
    ...config,
  });
  return createOktaSource(
    parsed,
    {
      fetch,
      logger: silentLogger(),
      state: memoryState(),
      now: () => new Date(),
      ...deps,
    },
    { random: () => 0, ...options },
  );
}

/**
 * The contract directory as an Okta org. Okta has no nested groups, so each group's members are
 * its flattened members (what an admin would have to assign by hand); inactive users are
 * `DEPROVISIONED` — still in their groups, as Okta keeps them.
 */
export function contractScenario(directory: ContractDirectory): ScenarioInput {
  const flat = flattenMembers(
    directory.groups.map(group => ({
      externalId: group.id,
      name: group.name,
      userIds: group.members,
      groupIds: group.groups,
    })),
  );
  return {
    users: directory.users.map(user => {
      const [firstName, ...rest] = user.name.split(' ');
      return {
        id: user.id,
        login: user.login,
        email: user.email,
        firstName,
        lastName: rest.join(' '),
        status: user.active ? 'ACTIVE' : 'DEPROVISIONED',
      };
    }),
    groups: flat.groups.map(group => ({
      id: group.externalId,
      name: group.name,
      members: [...group.memberIds],
    })),
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

/** An RSA key pair for an OAuth service app: the private key as PEM and JWK, the public JWK. */
export function serviceAppKeys(kid = 'sim-key-1') {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    kid,
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    privateJwk: { ...privateKey.export({ format: 'jwk' }), kid },
    publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' },
  };
}
