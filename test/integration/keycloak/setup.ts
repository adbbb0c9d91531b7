/**
 * Test set-up shared by the Keycloak source tests: a simulator with one confidential client,
 * seeded with a scenario, and a source configured against it with an in-memory state store.
 */
import type { KeycloakScenario, SimKeycloakUser } from '../../../src/sim/keycloak/directory.js';
import {
  createKeycloakSimulator,
  type KeycloakSimulator,
  type KeycloakSimulatorOptions,
} from '../../../src/sim/keycloak/server.js';
import {
  createKeycloakSource,
  keycloakSourceConfigSchema,
  type KeycloakSource,
  type KeycloakSourceConfigInput,
} from '../../../src/sources/keycloak/index.js';
import type { SourceDeps } from '../../../src/sources/types.js';
import type { ContractDirectory } from '../../contract/source.contract.js';
import { testSourceDeps } from '../../helpers/source-deps.js';

export const realmName = 'acme';
export const clientId = 'idp-sync';
export const clientSecret = 'sim-secret-0123456789';

/** A simulator for realm `acme` that knows the test client. */
export function startKeycloak(
  scenario: Omit<KeycloakScenario, 'realm' | 'clients'>,
  options: KeycloakSimulatorOptions = {},
): Promise<KeycloakSimulator> {
  return createKeycloakSimulator({
    scenario: { ...scenario, realm: realmName, clients: [{ clientId, secret: clientSecret }] },
    ...options,
  });
}

/** Builds a source against `sim`. */
export function keycloakSourceFor(
  sim: KeycloakSimulator,
  config: Partial<KeycloakSourceConfigInput> = {},
  deps: Partial<SourceDeps> = {},
): KeycloakSource {
  const parsed = keycloakSourceConfigSchema.parse({
    url: sim.url,
    realm: realmName,
    clientId,
    clientSecret,
    scope: { ids: [], namePrefix: 'ai-', all: false },
    ...config,
  });
  return createKeycloakSource(parsed, testSourceDeps(deps));
}

/** A simulator user. */
export function simUser(
  id: string,
  enabled = true,
  extra: Partial<SimKeycloakUser> = {},
): SimKeycloakUser {
  return { id, username: id, email: `${id}@example.com`, enabled, ...extra };
}

/** The contract directory as a realm: nested groups are sub-groups; inactive = `enabled: false`. */
export function contractScenario(
  directory: ContractDirectory,
): Omit<KeycloakScenario, 'realm' | 'clients'> {
  return {
    users: directory.users.map(user => {
      const [firstName, ...rest] = user.name.split(' ');
      return {
        id: user.id,
        username: user.login.toLowerCase(),
        email: user.email.toLowerCase(),
        firstName,
        lastName: rest.join(' '),
        enabled: user.active,
      };
    }),
    groups: directory.groups.map(group => ({
      id: group.id,
      name: group.name,
      members: [...group.members],
      children: [...group.groups],
    })),
  };
}
