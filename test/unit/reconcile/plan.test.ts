import { describe, expect, it } from 'vitest';

import { plan } from '../../../src/reconcile/plan.js';
import {
  fullInput,
  group,
  idpUser,
  litellmUser,
  ownership,
  rules,
  team,
} from '../../helpers/plan-fixtures.js';

const alice = idpUser('alice');
const bob = idpUser('bob');

describe('plan (full)', () => {
  it('creates teams, users and memberships on an empty LiteLLM, in dependency order', () => {
    const result = plan(
      fullInput({ idpUsers: [alice, bob], groups: [group('eng', ['alice', 'bob'])] }),
    );
    expect(result.operations.map(op => op.kind)).toEqual([
      'createTeam',
      'createUser',
      'createUser',
      'addMembers',
    ]);
    expect(result.operations[3]).toEqual({
      kind: 'addMembers',
      teamId: 'eng',
      members: [
        { userId: 'alice', role: 'user' },
        { userId: 'bob', role: 'user' },
      ],
    });
  });

  it('plans nothing when LiteLLM already matches', () => {
    const result = plan(
      fullInput({
        idpUsers: [alice],
        groups: [group('eng', ['alice'])],
        litellmTeams: [team('eng', ['alice'])],
        litellmUsers: [litellmUser('alice')],
        ownership: ownership({ teams: ['eng'], users: ['alice'], grants: [['eng', 'alice']] }),
      }),
    );
    expect(result.operations).toEqual([]);
  });

  it('removes a grant the IdP no longer backs, never a member added by hand', () => {
    const result = plan(
      fullInput({
        idpUsers: [alice, bob],
        groups: [group('eng', ['alice']), group('ops', ['bob'])],
        litellmTeams: [team('eng', ['alice', 'bob', 'manual']), team('ops', ['bob'])],
        litellmUsers: [
          litellmUser('alice'),
          litellmUser('bob'),
          litellmUser('manual', { metadata: {} }),
        ],
        ownership: ownership({
          teams: ['eng', 'ops'],
          users: ['alice', 'bob'],
          grants: [
            ['eng', 'alice'],
            ['eng', 'bob'],
            ['ops', 'bob'],
          ],
        }),
      }),
    );
    expect(result.operations).toEqual([{ kind: 'removeMember', teamId: 'eng', userId: 'bob' }]);
  });

  it('forgets a grant whose membership someone already removed', () => {
    const result = plan(
      fullInput({
        idpUsers: [alice, bob],
        groups: [group('eng', ['bob'])],
        litellmTeams: [team('eng', ['bob'])],
        litellmUsers: [litellmUser('alice'), litellmUser('bob')],
        ownership: ownership({
          teams: ['eng'],
          users: ['bob'],
          grants: [
            ['eng', 'alice'],
            ['eng', 'bob'],
          ],
        }),
      }),
    );
    expect(result.operations).toEqual([{ kind: 'forgetGrant', teamId: 'eng', userId: 'alice' }]);
  });

  it.each([
    ['disabled', [idpUser('alice', { active: false })], ['alice']],
    ['deleted', [], []],
    ['out_of_scope', [alice], []],
  ] as const)('deprovisions a managed user who is %s', (reason, users, members) => {
    const result = plan(
      fullInput({
        idpUsers: [...users],
        groups: [group('eng', [...members])],
        litellmTeams: [team('eng', ['alice'])],
        litellmUsers: [litellmUser('alice', { teams: ['eng'] })],
        ownership: ownership({ teams: ['eng'], users: ['alice'], grants: [['eng', 'alice']] }),
      }),
    );
    expect(result.operations).toEqual([
      { kind: 'deprovisionUser', userId: 'alice', externalId: 'alice', reason, teams: ['eng'] },
    ]);
  });

  it('never touches an unmanaged LiteLLM user the IdP does not know', () => {
    const result = plan(
      fullInput({
        idpUsers: [alice],
        groups: [group('eng', ['alice'])],
        litellmTeams: [team('eng', ['alice', 'svc'])],
        litellmUsers: [
          litellmUser('alice'),
          litellmUser('svc', { metadata: {}, ssoUserId: null, email: 'svc@corp' }),
        ],
        ownership: ownership({ teams: ['eng'], users: ['alice'], grants: [['eng', 'alice']] }),
      }),
    );
    expect(result.operations).toEqual([]);
  });

  it('holds back every removal when the read is incomplete, but still creates', () => {
    const carol = idpUser('carol');
    const result = plan(
      fullInput({
        scope: { kind: 'full', complete: false },
        idpUsers: [carol],
        groups: [group('eng', ['carol'])],
        litellmTeams: [team('eng', ['alice', 'bob'])],
        litellmUsers: [litellmUser('alice'), litellmUser('bob')],
        ownership: ownership({
          teams: ['eng'],
          users: ['alice', 'bob'],
          grants: [
            ['eng', 'alice'],
            ['eng', 'bob'],
          ],
        }),
      }),
    );
    expect(result.operations.map(op => op.kind)).toEqual(['createUser', 'addMembers']);
    expect(result.withheld).toBe(2);
  });

  it('renames a managed team whose group was renamed', () => {
    const result = plan(
      fullInput({
        idpUsers: [],
        groups: [group('eng', [], 'Engineering')],
        litellmTeams: [team('eng', [], { alias: 'eng-old' })],
        ownership: ownership({ teams: ['eng'] }),
      }),
    );
    expect(result.operations).toEqual([
      { kind: 'renameTeam', teamId: 'eng', externalId: 'eng', from: 'eng-old', to: 'Engineering' },
    ]);
  });

  it('adopts an unmanaged team with the group id, keeping its metadata, and leaves another source’s team alone', () => {
    const result = plan(
      fullInput({
        groups: [group('eng', []), group('ops', [])],
        litellmTeams: [
          team('eng', [], { metadata: { cost_center: 'x' } }),
          team('ops', [], { metadata: { idp_sync: { source: 'entra', external_id: 'ops' } } }),
        ],
      }),
    );
    expect(result.operations).toEqual([
      {
        kind: 'adoptTeam',
        teamId: 'eng',
        alias: 'eng',
        externalId: 'eng',
        metadata: { cost_center: 'x', idp_sync: { source: 'file', external_id: 'eng' } },
      },
    ]);
    expect(result.warnings).toEqual(['team ops is managed by source entra; left alone']);
  });

  it('adopts an existing user by a unique e-mail and refuses to guess between two', () => {
    const carol = idpUser('carol', { email: 'Carol@Example.com' });
    const dave = idpUser('dave', { email: 'dup@example.com' });
    const result = plan(
      fullInput({
        idpUsers: [carol, dave],
        groups: [group('eng', ['carol', 'dave'])],
        litellmTeams: [team('eng', [])],
        ownership: ownership({ teams: ['eng'] }),
        litellmUsers: [
          litellmUser('legacy-carol', {
            email: 'carol@example.com',
            ssoUserId: null,
            metadata: {},
          }),
          litellmUser('d1', { email: 'dup@example.com', ssoUserId: null, metadata: {} }),
          litellmUser('d2', { email: 'dup@example.com', ssoUserId: null, metadata: {} }),
        ],
      }),
    );
    expect(result.operations).toEqual([
      {
        kind: 'adoptUser',
        userId: 'legacy-carol',
        externalId: 'carol',
        matchedBy: 'email',
        email: 'Carol@Example.com',
        metadata: { idp_sync: { source: 'file', external_id: 'carol' } },
      },
      { kind: 'addMembers', teamId: 'eng', members: [{ userId: 'legacy-carol', role: 'user' }] },
    ]);
    expect(result.warnings).toEqual([
      'user dave: 2 LiteLLM users share the e-mail dup@example.com; not matched, not created',
    ]);
  });

  it('re-creates a managed user deleted from LiteLLM by hand while the IdP still backs them', () => {
    const result = plan(
      fullInput({
        idpUsers: [alice],
        groups: [group('eng', ['alice'])],
        litellmTeams: [team('eng', [])],
        ownership: ownership({ teams: ['eng'], users: ['alice'], grants: [['eng', 'alice']] }),
      }),
    );
    expect(result.operations.map(op => op.kind)).toEqual(['createUser', 'addMembers']);
  });

  it('updates a changed e-mail, but never demotes an admin no rule made', () => {
    const result = plan(
      fullInput({
        idpUsers: [idpUser('alice', { email: 'alice@new.example.com' }), bob],
        groups: [group('eng', ['alice', 'bob'])],
        litellmTeams: [team('eng', ['alice', 'bob'])],
        litellmUsers: [litellmUser('alice'), litellmUser('bob', { role: 'proxy_admin' })],
        ownership: ownership({ teams: ['eng'], users: ['alice', 'bob'] }),
      }),
    );
    expect(result.operations).toEqual([
      {
        kind: 'updateUser',
        userId: 'alice',
        externalId: 'alice',
        email: 'alice@new.example.com',
        role: undefined,
      },
    ]);
  });

  it('gives the role a rule grants', () => {
    const result = plan(
      fullInput({
        rules: { ...rules, userRoleRules: [{ groups: ['Admins'], role: 'proxy_admin_viewer' }] },
        idpUsers: [alice],
        groups: [group('adm', ['alice'], 'Admins')],
      }),
    );
    expect(result.operations.find(op => op.kind === 'createUser')).toMatchObject({
      role: 'proxy_admin_viewer',
    });
  });

  it('keeps the user id a managed user was given even if the IdP attribute changed', () => {
    const result = plan(
      fullInput({
        rules: { ...rules, userIdAttribute: 'login' },
        idpUsers: [idpUser('alice', { login: 'renamed@example.com' })],
        groups: [group('eng', ['alice'])],
        litellmTeams: [team('eng', ['alice'])],
        litellmUsers: [litellmUser('alice')],
        ownership: ownership({ teams: ['eng'], users: ['alice'], grants: [['eng', 'alice']] }),
      }),
    );
    expect(result.operations).toEqual([]);
  });
});

describe('plan (user)', () => {
  it('deprovisions the user at once when the IdP says deleted, and touches nobody else', () => {
    const result = plan(
      fullInput({
        scope: { kind: 'user', externalId: 'alice', deleted: true },
        litellmTeams: [team('eng', ['alice', 'bob'])],
        litellmUsers: [litellmUser('alice', { teams: ['eng'] })],
        ownership: ownership({
          teams: ['eng'],
          users: ['alice', 'bob'],
          grants: [
            ['eng', 'alice'],
            ['eng', 'bob'],
          ],
        }),
      }),
    );
    expect(result.operations).toEqual([
      {
        kind: 'deprovisionUser',
        userId: 'alice',
        externalId: 'alice',
        reason: 'deleted',
        teams: ['eng'],
      },
    ]);
  });

  it('removes only that user’s stale grants and adds the missing ones', () => {
    const result = plan(
      fullInput({
        scope: { kind: 'user', externalId: 'alice', deleted: false },
        idpUsers: [alice],
        groups: [group('ops', ['alice'])],
        litellmTeams: [team('eng', ['alice', 'bob']), team('ops', [])],
        litellmUsers: [litellmUser('alice', { teams: ['eng'] })],
        ownership: ownership({
          teams: ['eng', 'ops'],
          users: ['alice', 'bob'],
          grants: [
            ['eng', 'alice'],
            ['eng', 'bob'],
          ],
        }),
      }),
    );
    expect(result.operations).toEqual([
      { kind: 'addMembers', teamId: 'ops', members: [{ userId: 'alice', role: 'user' }] },
      { kind: 'removeMember', teamId: 'eng', userId: 'alice' },
    ]);
  });

  it('does not deprovision a user who merely left every group (the full run decides)', () => {
    const result = plan(
      fullInput({
        scope: { kind: 'user', externalId: 'alice', deleted: false },
        idpUsers: [alice],
        groups: [],
        litellmUsers: [litellmUser('alice')],
        ownership: ownership({ users: ['alice'] }),
      }),
    );
    expect(result.operations).toEqual([]);
  });
});
