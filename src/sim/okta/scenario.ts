/**
 * Scenarios: a whole org as plain data (YAML or JSON), loaded into a directory. Members and app
 * assignments may name users by id or login and groups by id or name, so hand-written scenarios
 * stay readable; ids may be given (stable fixtures) or left to the seeded generator.
 */
import { readFileSync } from 'node:fs';

import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

import type { Directory } from './directory.js';
import { generateOrg, generatorSchema } from './generate.js';
import { groupTypes, userStatuses } from './types.js';

const userSchema = z.object({
  id: z.string().min(1).optional(),
  login: z.string().min(1),
  email: z.string().min(1).optional(),
  firstName: z.string().nullable().optional(),
  lastName: z.string().nullable().optional(),
  displayName: z.string().optional(),
  status: z.enum(userStatuses).default('ACTIVE'),
});

const groupSchema = z.object({
  id: z.string().min(1).optional(),
  name: z.string().min(1),
  description: z.string().nullable().optional(),
  type: z.enum(groupTypes).exclude(['BUILT_IN']).default('OKTA_GROUP'),
  /** User ids or logins. */
  members: z.array(z.string()).default([]),
});

const appSchema = z.object({
  id: z.string().min(1).optional(),
  label: z.string().min(1),
  /** Group ids or names. */
  groups: z.array(z.string()).default([]),
});

const clientSchema = z.object({
  clientId: z.string().min(1),
  keys: z.array(z.record(z.string(), z.unknown())).min(1),
  scopes: z.array(z.string()).default(['okta.users.read', 'okta.groups.read', 'okta.apps.read']),
});

/** A scenario file. */
export const scenarioSchema = z.object({
  apiTokens: z.array(z.string().min(1)).default([]),
  clients: z.array(clientSchema).default([]),
  users: z.array(userSchema).default([]),
  groups: z.array(groupSchema).default([]),
  apps: z.array(appSchema).default([]),
  /** A generated org added after the listed objects. */
  generate: generatorSchema.optional(),
});

/** A parsed scenario. */
export type Scenario = z.infer<typeof scenarioSchema>;

/** What a scenario input may look like before defaults. */
export type ScenarioInput = z.input<typeof scenarioSchema>;

/** Reads a `.yaml`/`.yml`/`.json` scenario file. */
export function readScenarioFile(path: string): Scenario {
  const text = readFileSync(path, 'utf8');
  const data: unknown = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  return scenarioSchema.parse(data);
}

/** The id of the object `ref` named, or an error naming the unknown reference. */
function idOf(found: { id: string } | undefined, kind: 'user' | 'group', ref: string): string {
  if (found === undefined) {
    throw new Error(`scenario: unknown ${kind} "${ref}"`);
  }
  return found.id;
}

/**
 * Loads a scenario into `directory`. Statuses other than `ACTIVE` are set after creation, so a
 * `DEPROVISIONED` user starts out deactivated but still in their groups.
 *
 * @throws Error naming the unknown member, group or duplicate
 */
export function loadScenario(
  directory: Directory,
  input: ScenarioInput,
  random: () => number,
): void {
  const scenario = scenarioSchema.parse(input);
  for (const u of scenario.users) {
    const created = directory.createUser({ ...u, status: 'ACTIVE' });
    if (u.status !== 'ACTIVE') {
      directory.setStatus(created.id, u.status);
    }
  }
  const userId = (ref: string): string => idOf(directory.findUser(ref), 'user', ref);
  for (const g of scenario.groups) {
    const created = directory.createGroup(g);
    for (const member of g.members) {
      directory.addMember(created.id, userId(member));
    }
  }
  const groupId = (ref: string): string =>
    idOf(
      directory.groups.get(ref) ?? [...directory.groups.values()].find(g => g.profile.name === ref),
      'group',
      ref,
    );
  for (const a of scenario.apps) {
    const created = directory.createApp(a);
    for (const ref of a.groups) {
      directory.assignGroup(created.id, groupId(ref));
    }
  }
  if (scenario.generate !== undefined) {
    generateOrg(directory, scenario.generate, random);
  }
}
