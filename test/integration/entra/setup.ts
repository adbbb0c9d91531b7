/**
 * Test set-up shared by the Entra source tests: an HTTPS Graph simulator seeded with a scenario,
 * and a source configured against it (MSAL through `knownAuthorities`, graph-client through
 * `customHosts`), with an in-memory state store. The simulator's CA must be trusted through
 * `NODE_EXTRA_CA_CERTS` in the test runner's environment.
 */
import { silentLogger } from '../../../src/log.js';
import type { EntraScenario } from '../../../src/sim/entra/scenario.js';
import type { EntraSimulator, EntraSimulatorOptions } from '../../../src/sim/entra/types.js';
import {
  createEntraSource,
  entraSourceConfigSchema,
  type EntraSource,
  type EntraSourceOptions,
} from '../../../src/sources/entra/index.js';
import type { SourceDeps, SourceState } from '../../../src/sources/types.js';
import { createSqliteStore } from '../../../src/store/sqlite.js';
import type { IdpGroup } from '../../../src/model.js';
import type { ContractDirectory } from '../../contract/source.contract.js';
import { startSim } from '../../sim/entra/helpers.js';

/**
 * A simulator seeded with `scenario`; fails loudly unless the tests run through
 * `node scripts/with-test-ca.js vitest run`, which makes the process trust its CA.
 */
export function startEntra(
  scenario: EntraScenario,
  options: EntraSimulatorOptions = {},
): Promise<EntraSimulator> {
  return startSim({ scenario, ...options });
}

/** A fresh in-memory state namespace. */
export function memoryState(): SourceState {
  return createSqliteStore(':memory:').sourceState('entra');
}

/** Fast retries: the simulator's `Retry-After` is 0 or 1 s in these tests. */
export const testRetryPolicy = { maxAttempts: 10, baseMs: 5, maxMs: 5_000 };

/** Builds a source against `sim` (client secret, `ai-` prefix scope unless overridden). */
export function entraSourceFor(
  sim: EntraSimulator,
  config: Record<string, unknown> = {},
  deps: Partial<SourceDeps> = {},
  options: EntraSourceOptions = {},
): EntraSource {
  const parsed = entraSourceConfigSchema.parse({
    tenantId: sim.tenantId,
    clientId: sim.clientId,
    clientSecret: sim.clientSecret,
    authorityHost: sim.url,
    graphBaseUrl: sim.url,
    scope: { namePrefix: 'ai-' },
    ...config,
  });
  return createEntraSource(
    parsed,
    {
      fetch,
      logger: silentLogger(),
      state: memoryState(),
      now: () => new Date(sim.now()),
      ...deps,
    },
    { retryPolicy: testRetryPolicy, ...options },
  );
}

/** The contract directory as a simulator scenario (nesting through `members`). */
export function contractScenario(directory: ContractDirectory): EntraScenario {
  return {
    users: directory.users.map(user => ({
      id: user.id,
      displayName: user.name,
      userPrincipalName: user.login,
      mail: user.email,
      accountEnabled: user.active,
    })),
    groups: directory.groups.map(group => ({
      id: group.id,
      displayName: group.name,
      members: [...group.members, ...group.groups],
    })),
  };
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const result: T[] = [];
  for await (const item of items) {
    result.push(item);
  }
  return result;
}

/** Groups as `{ name: sorted member ids }`, the easiest shape to compare. */
export async function membersByName(source: EntraSource): Promise<Record<string, string[]>> {
  const groups: IdpGroup[] = await collect(source.listGroups());
  return Object.fromEntries(groups.map(group => [group.name, [...group.memberIds].sort()]));
}
