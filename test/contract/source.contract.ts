/**
 * The behaviour every `Source` must show, whatever IdP it talks to. Each implementation seeds its
 * simulator (or file) with {@link contractDirectory}, configures {@link contractScope}, and runs
 * {@link describeSourceContract}; so every connector is held to the same small directory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { IdpGroup, IdpUser } from '../../src/model.js';
import type { Source } from '../../src/sources/types.js';

/** A user as a simulator loads it: the IdP id, sign-in name, mail, display name and status. */
export type ContractUser = {
  readonly id: string;
  readonly login: string;
  readonly email: string;
  readonly name: string;
  readonly active: boolean;
};

/** A group with its direct members only; nesting is expressed through `groups`. */
export type ContractGroup = {
  readonly id: string;
  readonly name: string;
  readonly members: readonly string[];
  readonly groups: readonly string[];
};

/** A whole IdP directory as plain data, loadable by any simulator. */
export type ContractDirectory = {
  readonly users: readonly ContractUser[];
  readonly groups: readonly ContractGroup[];
};

/** Group scope as plain data (the shape of the sources' scope configuration). */
export type ContractScope = {
  readonly ids: readonly string[];
  readonly namePrefix?: string;
  readonly all: boolean;
};

/**
 * What the source under test was seeded with, and what it must therefore report. A simulator
 * that assigns its own ids returns a fixture with those ids substituted.
 */
export type ContractFixture = {
  readonly directory: ContractDirectory;
  readonly scope: ContractScope;
  /** The in-scope groups, members flattened and de-duplicated (order irrelevant). */
  readonly expectedGroups: readonly IdpGroup[];
  /** A user the IdP reports as disabled, and who is a member of an in-scope group. */
  readonly disabledUserId: string;
  /** A user reached through two paths into the same group (direct and nested). */
  readonly twoPathUserId: string;
  /** A user in no in-scope group at all (only in an out-of-scope one). */
  readonly outOfScopeUserId: string;
};

/**
 * ai-platform ⊃ ai-ml (nested, itself in scope) ⊃ grace, who is also direct in ai-platform;
 * ai-research ⊃ ai-ml and interns (nested, not in scope by name); finance is out of scope.
 */
export const contractDirectory: ContractDirectory = {
  users: [
    user('u-ada', 'ada@example.com', 'Ada Lovelace', true),
    user('u-grace', 'grace@example.com', 'Grace Hopper', true),
    user('u-alan', 'alan@example.com', 'Alan Turing', true),
    user('u-edsger', 'edsger@example.com', 'Edsger Dijkstra', false),
    user('u-katherine', 'katherine@example.com', 'Katherine Johnson', true),
    user('u-barbara', 'barbara@example.com', 'Barbara Liskov', true),
  ],
  groups: [
    { id: 'g-platform', name: 'ai-platform', members: ['u-ada', 'u-grace'], groups: ['g-ml'] },
    { id: 'g-ml', name: 'ai-ml', members: ['u-grace', 'u-alan'], groups: [] },
    { id: 'g-research', name: 'ai-research', members: ['u-edsger'], groups: ['g-ml', 'g-interns'] },
    { id: 'g-interns', name: 'interns', members: ['u-katherine'], groups: [] },
    { id: 'g-finance', name: 'finance', members: ['u-barbara'], groups: [] },
  ],
};

/** Groups whose name starts with `ai-`. */
export const contractScope: ContractScope = { ids: [], namePrefix: 'ai-', all: false };

/** The expectations for a source seeded with {@link contractDirectory} ids unchanged. */
export const contractFixture: ContractFixture = {
  directory: contractDirectory,
  scope: contractScope,
  expectedGroups: [
    { externalId: 'g-platform', name: 'ai-platform', memberIds: ['u-ada', 'u-grace', 'u-alan'] },
    { externalId: 'g-ml', name: 'ai-ml', memberIds: ['u-grace', 'u-alan'] },
    {
      externalId: 'g-research',
      name: 'ai-research',
      memberIds: ['u-edsger', 'u-grace', 'u-alan', 'u-katherine'],
    },
  ],
  disabledUserId: 'u-edsger',
  twoPathUserId: 'u-grace',
  outOfScopeUserId: 'u-barbara',
};

function user(id: string, email: string, name: string, active: boolean): ContractUser {
  return { id, login: email, email, name, active };
}

/** What a test environment hands the suite; `teardown` runs once after it. */
export type ContractSetup = {
  readonly source: Source;
  readonly fixture: ContractFixture;
  teardown?(): Promise<void> | void;
};

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const result: T[] = [];
  for await (const item of items) {
    result.push(item);
  }
  return result;
}

/** Comparable form of a group: order of groups and of members is not part of the contract. */
const normalize = (groups: readonly IdpGroup[]) =>
  groups
    .map(group => ({ ...group, memberIds: [...group.memberIds].sort() }))
    .sort((a, b) => a.externalId.localeCompare(b.externalId));

const sortedIds = (items: readonly { externalId: string }[]) =>
  items.map(item => item.externalId).sort();

/** Registers the source contract as a vitest suite named after the implementation. */
export function describeSourceContract(name: string, setup: () => Promise<ContractSetup>): void {
  describe(`Source contract: ${name}`, () => {
    let env: ContractSetup;
    beforeAll(async () => {
      env = await setup();
    });
    afterAll(async () => {
      await env?.teardown?.();
    });

    const userById = (users: readonly IdpUser[], id: string) =>
      users.find(candidate => candidate.externalId === id);

    it('lists exactly the in-scope groups, members flattened and de-duplicated', async () => {
      const groups = await collect(env.source.listGroups());
      for (const group of groups) {
        expect(new Set(group.memberIds).size, `${group.name} repeats a member`).toBe(
          group.memberIds.length,
        );
      }
      expect(normalize(groups)).toEqual(normalize(env.fixture.expectedGroups));
    });

    it('lists every member of every in-scope group, with the IdP status', async () => {
      const users = await collect(env.source.listUsers());
      const memberIds = new Set(env.fixture.expectedGroups.flatMap(group => group.memberIds));
      for (const seeded of env.fixture.directory.users.filter(u => memberIds.has(u.id))) {
        const listed = userById(users, seeded.id);
        expect(listed, seeded.id).toBeDefined();
        expect(listed?.active, seeded.id).toBe(seeded.active);
        expect(listed?.email?.toLowerCase(), seeded.id).toBe(seeded.email.toLowerCase());
      }
      expect(userById(users, env.fixture.disabledUserId)?.active).toBe(false);
    });

    it('lists can be consumed twice', async () => {
      const groups = env.source.listGroups();
      const users = env.source.listUsers();
      expect(normalize(await collect(groups))).toEqual(normalize(await collect(groups)));
      expect(sortedIds(await collect(users))).toEqual(sortedIds(await collect(users)));
    });

    it('reads a user by IdP id, with every in-scope group reaching them', async () => {
      const id = env.fixture.twoPathUserId;
      const reading = await env.source.readUser(id);
      expect(reading).toMatchObject({ kind: 'found', source: env.source.name });
      if (reading.kind === 'found') {
        expect(reading.user.externalId).toBe(id);
        const expected = env.fixture.expectedGroups.filter(group => group.memberIds.includes(id));
        expect(sortedIds(reading.groups)).toEqual(sortedIds(expected));
      }
    });

    it('reads a user by e-mail, case-insensitively', async () => {
      const seeded = env.fixture.directory.users.find(u => u.id !== env.fixture.twoPathUserId)!;
      const reading = await env.source.readUser(seeded.email.toUpperCase());
      expect(reading.kind === 'found' && reading.user.externalId).toBe(seeded.id);
    });

    it('reports the disabled user as found but inactive', async () => {
      const reading = await env.source.readUser(env.fixture.disabledUserId);
      expect(reading.kind === 'found' && reading.user.active).toBe(false);
    });

    it('reads a user of no in-scope group with no groups', async () => {
      const reading = await env.source.readUser(env.fixture.outOfScopeUserId);
      expect(reading.kind === 'found' && reading.groups).toEqual([]);
    });

    it('reports an unknown subject as deleted', async () => {
      const subject = 'nobody-at-all@example.com';
      expect(await env.source.readUser(subject)).toEqual({
        kind: 'deleted',
        source: env.source.name,
        subject,
      });
    });
  });
}
