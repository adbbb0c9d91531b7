/**
 * Test set-up shared by the Google source tests: a simulator that knows one service account,
 * seeded with a scenario, and a source configured against it with an in-memory state store.
 */
import { generateKeyPairSync } from 'node:crypto';

import type { GoogleScenario, SimGoogleUser } from '../../../src/sim/google/directory.js';
import {
  createGoogleSimulator,
  type GoogleSimulator,
  type GoogleSimulatorOptions,
} from '../../../src/sim/google/server.js';
import {
  createGoogleSource,
  googleSourceConfigSchema,
  type GoogleSource,
  type GoogleSourceConfigInput,
  type GoogleSourceOptions,
} from '../../../src/sources/google/index.js';
import type { SourceDeps } from '../../../src/sources/types.js';
import type { ContractDirectory } from '../../contract/source.contract.js';
import { testSourceDeps } from '../../helpers/source-deps.js';

export const clientEmail = 'idp-sync@sim-project.iam.gserviceaccount.com';
export const adminSubject = 'admin@example.com';

const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
/** The service account's key, as Google's JSON key file has it. */
export const serviceAccountJson = JSON.stringify({
  type: 'service_account',
  client_email: clientEmail,
  private_key: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  private_key_id: 'sim-key-1',
});

/** A simulator that trusts the test service account and lets it impersonate `admin@`. */
export function startGoogle(
  scenario: GoogleScenario,
  options: GoogleSimulatorOptions = {},
): Promise<GoogleSimulator> {
  return createGoogleSimulator({
    serviceAccounts: [{ clientEmail, publicKey: pair.publicKey }],
    admins: [adminSubject],
    scenario,
    ...options,
  });
}

/** Builds a source against `sim`, with waits skipped unless `options` says otherwise. */
export function googleSourceFor(
  sim: GoogleSimulator,
  config: Partial<GoogleSourceConfigInput> = {},
  deps: Partial<SourceDeps> = {},
  options: GoogleSourceOptions = {},
): GoogleSource {
  const parsed = googleSourceConfigSchema.parse({
    keyJson: serviceAccountJson,
    subject: adminSubject,
    apiBaseUrl: sim.url,
    tokenUrl: sim.tokenUrl,
    scope: { ids: [], namePrefix: 'ai-', all: false },
    ...config,
  });
  return createGoogleSource(parsed, testSourceDeps(deps), {
    sleep: () => Promise.resolve(),
    random: () => 0,
    ...options,
  });
}

/** A simulator user. */
export function simUser(
  id: string,
  email: string,
  status: Partial<Pick<SimGoogleUser, 'suspended' | 'archived' | 'omitStatus'>> = {},
): SimGoogleUser {
  return {
    id,
    primaryEmail: email,
    givenName: email.split('@')[0],
    familyName: 'Example',
    suspended: false,
    archived: false,
    ...status,
  };
}

/** The contract directory as a Workspace: nested groups are `GROUP` members; inactive = suspended. */
export function contractScenario(directory: ContractDirectory): GoogleScenario {
  return {
    users: directory.users.map(user => {
      const [givenName, ...rest] = user.name.split(' ');
      return {
        id: user.id,
        primaryEmail: user.email,
        givenName,
        familyName: rest.join(' '),
        suspended: !user.active,
        archived: false,
      };
    }),
    groups: directory.groups.map(group => ({
      id: group.id,
      email: `${group.name}@example.com`,
      name: group.name,
      members: [
        ...group.members.map(id => ({ id, type: 'USER' as const })),
        ...group.groups.map(id => ({ id, type: 'GROUP' as const })),
      ],
    })),
  };
}
