import { describe, expect, it } from 'vitest';

import { entraSourceConfigSchema, groupSelector } from '../../../../src/sources/entra/config.js';
import { selectGroups, toIdpUser } from '../../../../src/sources/entra/map.js';
import type { MirrorGroup, MirrorUser, MirrorView } from '../../../../src/sources/entra/mirror.js';

const user = (id: string, overrides: Partial<MirrorUser> = {}): MirrorUser => ({
  id,
  upn: `${id}@contoso.test`,
  mail: null,
  displayName: id,
  accountEnabled: true,
  ...overrides,
});
const group = (id: string, name: string, users: string[], groups: string[] = []): MirrorGroup => ({
  id,
  displayName: name,
  users,
  groups,
});
const view = (users: MirrorUser[], groups: MirrorGroup[], appGroupIds?: string[]): MirrorView => ({
  users: new Map(users.map(u => [u.id, u])),
  groups: new Map(groups.map(g => [g.id, g])),
  appGroupIds: appGroupIds === undefined ? undefined : new Set(appGroupIds),
});
const config = (scope: object, appServicePrincipalId?: string) =>
  entraSourceConfigSchema.parse({
    tenantId: 't',
    clientId: 'c',
    clientSecret: 's',
    scope,
    appServicePrincipalId,
  });
const membersOf = (selection: ReturnType<typeof selectGroups>) =>
  Object.fromEntries(selection.groups.map(g => [g.name, [...g.memberIds].sort()]));

describe('toIdpUser', () => {
  it('keys on the object id and takes mail, else the UPN, as e-mail', () => {
    expect(toIdpUser(user('ada', { mail: 'Ada@Contoso.test', accountEnabled: false }))).toEqual({
      externalId: 'ada',
      login: 'ada@contoso.test',
      email: 'Ada@Contoso.test',
      displayName: 'ada',
      active: false,
    });
    expect(toIdpUser(user('bob')).email).toBe('bob@contoso.test');
    expect(
      toIdpUser(user('guest', { upn: 'g_example.com#EXT#@contoso.test' })).email,
    ).toBeUndefined();
  });
});

describe('selectGroups', () => {
  const users = ['ada', 'grace', 'alan', 'edsger', 'kat'].map(id => user(id));
  const groups = [
    group('g-platform', 'ai-platform', ['ada', 'grace'], ['g-ml']),
    group('g-ml', 'ai-ml', ['grace', 'alan'], []),
    group('g-research', 'ai-research', ['edsger'], ['g-ml', 'g-interns']),
    group('g-interns', 'interns', ['kat'], []),
    group('g-finance', 'finance', ['ada'], []),
  ];

  it('flattens nested groups, counting a user reached twice once, out-of-scope children included', () => {
    const selection = selectGroups(
      view(users, groups),
      groupSelector(config({ namePrefix: 'ai-' }), new Set()),
    );
    expect(membersOf(selection)).toEqual({
      'ai-platform': ['ada', 'alan', 'grace'],
      'ai-ml': ['alan', 'grace'],
      'ai-research': ['alan', 'edsger', 'grace', 'kat'],
    });
  });

  it('selects groups assigned to the enterprise application', () => {
    const selection = selectGroups(
      view(users, groups, ['g-finance']),
      groupSelector(config({}, 'sp-1'), new Set(['g-finance'])),
    );
    expect(membersOf(selection)).toEqual({ finance: ['ada'] });
  });

  it('survives a cycle and reports it', () => {
    const cyclic = [group('a', 'ai-a', ['ada'], ['b']), group('b', 'ai-b', ['alan'], ['a'])];
    const selection = selectGroups(
      view(users, cyclic),
      groupSelector(config({ namePrefix: 'ai-' }), new Set()),
    );
    expect(membersOf(selection)).toEqual({ 'ai-a': ['ada', 'alan'], 'ai-b': ['ada', 'alan'] });
    expect(selection.cycles).toHaveLength(1);
  });

  it('drops members the mirror no longer has (soft-deleted users, deleted child groups)', () => {
    const stale = [group('p', 'ai-p', ['ada', 'gone'], ['deleted-child'])];
    const selection = selectGroups(
      view(users, stale),
      groupSelector(config({ all: true }), new Set()),
    );
    expect(membersOf(selection)).toEqual({ 'ai-p': ['ada'] });
  });
});
