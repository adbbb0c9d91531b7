import { describe, expect, it } from 'vitest';

import type { Operation } from '../../../src/reconcile/operations.js';
import { plan } from '../../../src/reconcile/plan.js';
import type { PlanInput } from '../../../src/reconcile/plan-types.js';
import { grantKey } from '../../../src/store/types.js';
import {
  fullInput,
  group,
  idpUser,
  litellmUser,
  ownership,
  team,
} from '../../helpers/plan-fixtures.js';

/** The full run's IdP read began at this instant (ms). */
const readStartedAt = 1_000;
const alice = idpUser('alice');
const bob = idpUser('bob');

/** Alice and bob in eng and ops, everything already in LiteLLM and managed: a no-op plan. */
const settled = (parts: Partial<Parameters<typeof fullInput>[0]> = {}): PlanInput =>
  fullInput({
    idpUsers: [alice, bob],
    groups: [group('eng', ['alice', 'bob']), group('ops', ['alice', 'bob'])],
    litellmTeams: [team('eng', ['alice', 'bob']), team('ops', ['alice', 'bob'])],
    litellmUsers: [
      litellmUser('alice', { teams: ['eng', 'ops'] }),
      litellmUser('bob', { teams: ['eng', 'ops'] }),
    ],
    ownership: ownership({
      teams: ['eng', 'ops'],
      users: ['alice', 'bob'],
      grants: [
        ['eng', 'alice'],
        ['eng', 'bob'],
        ['ops', 'alice'],
        ['ops', 'bob'],
      ],
    }),
    readStartedAt,
    ...parts,
  });

/** Alice left eng (she stays in ops, so she is not out of scope). */
const aliceOutOfEng = [group('eng', ['bob']), group('ops', ['alice', 'bob'])];

const marks = (entries: Record<string, number>): ReadonlyMap<string, number> =>
  new Map(Object.entries(entries));

type Row = {
  readonly name: string;
  readonly input: PlanInput;
  /** Operations without any mark. */
  readonly unmarked: Operation[];
  /** Operations with alice marked after the read began. */
  readonly marked: Operation[];
};

const rows: Row[] = [
  {
    name: 'creation: alice is neither created nor added; bob still is',
    input: fullInput({
      idpUsers: [alice, bob],
      groups: [group('eng', ['alice', 'bob'])],
      readStartedAt,
    }),
    unmarked: [
      { kind: 'createTeam', teamId: 'eng', alias: 'eng', externalId: 'eng', settings: undefined },
      {
        kind: 'createUser',
        userId: 'alice',
        externalId: 'alice',
        email: 'alice@example.com',
        alias: 'alice',
        role: 'internal_user',
      },
      {
        kind: 'createUser',
        userId: 'bob',
        externalId: 'bob',
        email: 'bob@example.com',
        alias: 'bob',
        role: 'internal_user',
      },
      {
        kind: 'addMembers',
        teamId: 'eng',
        members: [
          { userId: 'alice', role: 'user' },
          { userId: 'bob', role: 'user' },
        ],
      },
    ],
    marked: [
      { kind: 'createTeam', teamId: 'eng', alias: 'eng', externalId: 'eng', settings: undefined },
      {
        kind: 'createUser',
        userId: 'bob',
        externalId: 'bob',
        email: 'bob@example.com',
        alias: 'bob',
        role: 'internal_user',
      },
      { kind: 'addMembers', teamId: 'eng', members: [{ userId: 'bob', role: 'user' }] },
    ],
  },
  {
    name: 're-adding what the login sync removed',
    // The T0 snapshot still has alice in eng; the login sync (T1) already took her out.
    input: settled({
      litellmTeams: [team('eng', ['bob']), team('ops', ['alice', 'bob'])],
      ownership: ownership({
        teams: ['eng', 'ops'],
        users: ['alice', 'bob'],
        grants: [
          ['eng', 'bob'],
          ['ops', 'alice'],
          ['ops', 'bob'],
        ],
      }),
    }),
    unmarked: [{ kind: 'addMembers', teamId: 'eng', members: [{ userId: 'alice', role: 'user' }] }],
    marked: [],
  },
  {
    name: 'removing the grant the login sync just added',
    // The T0 snapshot has alice outside eng; the login sync (T1) just added her.
    input: settled({ groups: aliceOutOfEng }),
    unmarked: [{ kind: 'removeMember', teamId: 'eng', userId: 'alice' }],
    marked: [],
  },
  {
    name: 'forgetting the grant the login sync just added',
    // LiteLLM was read before the login sync's add landed; its grant is already in the store.
    input: settled({
      groups: aliceOutOfEng,
      litellmTeams: [team('eng', ['bob']), team('ops', ['alice', 'bob'])],
    }),
    unmarked: [{ kind: 'forgetGrant', teamId: 'eng', userId: 'alice' }],
    marked: [],
  },
  {
    name: 'deprovisioning a user the login sync saw enabled again',
    input: settled({ idpUsers: [idpUser('alice', { active: false }), bob] }),
    unmarked: [
      {
        kind: 'deprovisionUser',
        userId: 'alice',
        externalId: 'alice',
        reason: 'disabled',
        teams: ['eng', 'ops'],
      },
    ],
    marked: [],
  },
  {
    name: 'forgetting a user the login sync is re-creating',
    input: settled({
      idpUsers: [bob],
      groups: [group('eng', ['bob']), group('ops', ['bob'])],
      litellmUsers: [litellmUser('bob', { teams: ['eng', 'ops'] })],
      litellmTeams: [team('eng', ['bob']), team('ops', ['bob'])],
    }),
    unmarked: [{ kind: 'forgetUser', userId: 'alice' }],
    marked: [],
  },
  {
    name: 'updating to an older e-mail',
    input: settled({ idpUsers: [idpUser('alice', { email: 'old@example.com' }), bob] }),
    unmarked: [
      {
        kind: 'updateUser',
        userId: 'alice',
        externalId: 'alice',
        email: 'old@example.com',
        role: undefined,
      },
    ],
    marked: [],
  },
  {
    name: 'adopting a user the login sync adopts',
    input: settled({
      litellmUsers: [
        litellmUser('alice', { metadata: {}, teams: ['eng', 'ops'] }),
        litellmUser('bob', { teams: ['eng', 'ops'] }),
      ],
      ownership: ownership({
        teams: ['eng', 'ops'],
        users: ['bob'],
        grants: [
          ['eng', 'bob'],
          ['ops', 'bob'],
        ],
      }),
    }),
    unmarked: [
      {
        kind: 'adoptUser',
        userId: 'alice',
        externalId: 'alice',
        matchedBy: 'user_id',
        email: 'alice@example.com',
        metadata: { idp_sync: { source: 'file', external_id: 'alice' } },
      },
    ],
    marked: [],
  },
];

describe('plan (full) interleaved with per-user syncs', () => {
  describe.each(rows)('$name', ({ input, unmarked, marked }) => {
    it('plans it when no per-user sync ran since the read began', () => {
      expect(plan(input).operations).toEqual(unmarked);
      expect(
        plan({ ...input, userSyncMarks: marks({ alice: readStartedAt - 1 }) }).operations,
      ).toEqual(unmarked);
      expect(
        plan({ ...input, userSyncMarks: marks({ alice: readStartedAt - 1 }) }).deferredUsers,
      ).toEqual([]);
    });

    it('leaves alice to the per-user sync marked at or after the read began', () => {
      for (const at of [readStartedAt, readStartedAt + 5_000]) {
        const result = plan({ ...input, userSyncMarks: marks({ alice: at }) });
        expect(result.operations).toEqual(marked);
        expect(result.deferredUsers).toEqual(unmarked.length === marked.length ? [] : ['alice']);
        expect(Object.values(result.counts).reduce((a, b) => a + b, 0)).toBe(marked.length);
      }
    });
  });

  it('finds the marked person under a LiteLLM user id that differs from their IdP id', () => {
    const input = settled({
      groups: aliceOutOfEng,
      litellmTeams: [team('eng', ['a.smith', 'bob']), team('ops', ['a.smith', 'bob'])],
      litellmUsers: [
        litellmUser('a.smith', { email: 'alice@example.com', teams: ['eng', 'ops'] }),
        litellmUser('bob', { teams: ['eng', 'ops'] }),
      ],
      ownership: {
        ...ownership({ teams: ['eng', 'ops'] }),
        users: new Map([
          [
            'a.smith',
            { userId: 'a.smith', source: 'file', externalId: 'alice', email: 'alice@example.com' },
          ],
          ['bob', { userId: 'bob', source: 'file', externalId: 'bob', email: 'bob@example.com' }],
        ]),
        grants: new Map([
          [
            grantKey('eng', 'a.smith'),
            { teamId: 'eng', userId: 'a.smith', source: 'file', role: 'user' },
          ],
          [grantKey('eng', 'bob'), { teamId: 'eng', userId: 'bob', source: 'file', role: 'user' }],
          [
            grantKey('ops', 'a.smith'),
            { teamId: 'ops', userId: 'a.smith', source: 'file', role: 'user' },
          ],
          [grantKey('ops', 'bob'), { teamId: 'ops', userId: 'bob', source: 'file', role: 'user' }],
        ]),
      },
    });
    expect(plan(input).operations).toEqual([
      { kind: 'removeMember', teamId: 'eng', userId: 'a.smith' },
    ]);
    const deferred = plan({ ...input, userSyncMarks: marks({ alice: readStartedAt }) });
    expect(deferred.operations).toEqual([]);
    expect(deferred.deferredUsers).toEqual(['alice']);
  });

  it('only defers the marked users: bob is still removed beside a marked alice', () => {
    const input = settled({ groups: [group('eng', []), group('ops', ['alice', 'bob'])] });
    const result = plan({
      ...input,
      userSyncMarks: marks({ alice: readStartedAt + 1, bob: readStartedAt - 1 }),
    });
    expect(result.operations).toEqual([{ kind: 'removeMember', teamId: 'eng', userId: 'bob' }]);
    expect(result.deferredUsers).toEqual(['alice']);
  });

  it('still withholds removals of an incomplete read, and counts them apart from deferrals', () => {
    const input = settled({
      scope: { kind: 'full', complete: false },
      groups: [group('eng', []), group('ops', ['alice', 'bob'])],
    });
    const result = plan({ ...input, userSyncMarks: marks({ alice: readStartedAt }) });
    expect(result.operations).toEqual([]);
    expect(result.withheld).toBe(2);
  });

  it('ignores marks in a per-user plan, which is the fresher view itself', () => {
    const input: PlanInput = {
      ...settled({ groups: aliceOutOfEng }),
      scope: { kind: 'user', externalId: 'alice', deleted: false },
      userSyncMarks: marks({ alice: readStartedAt }),
    };
    expect(plan(input).operations).toEqual([
      { kind: 'removeMember', teamId: 'eng', userId: 'alice' },
    ]);
  });

  it('without a read start or marks, plans exactly as before', () => {
    const input = settled({
      groups: aliceOutOfEng,
      readStartedAt: undefined,
      userSyncMarks: marks({ alice: 5_000 }),
    });
    expect(plan(input).operations).toEqual([
      { kind: 'removeMember', teamId: 'eng', userId: 'alice' },
    ]);
  });
});
