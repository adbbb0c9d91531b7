import { describe, expect, it } from 'vitest';

import { toIdpUser } from '../../../../src/sources/keycloak/map.js';
import { groupsReaching, type GroupTree } from '../../../../src/sources/keycloak/read.js';
import { compileScope } from '../../../../src/sources/scope.js';

describe('keycloak map', () => {
  it('maps a user; the username is the login', () => {
    expect(
      toIdpUser({ id: 'id-1', username: 'ada', email: 'ada@x', firstName: 'Ada', enabled: false }),
    ).toEqual({
      externalId: 'id-1',
      login: 'ada',
      email: 'ada@x',
      displayName: 'Ada',
      active: false,
    });
  });

  it('never maps a user without `enabled`', () => {
    expect(toIdpUser({ id: 'x', username: 'x' })).toBeUndefined();
    expect(toIdpUser({ id: 'x', username: 'x', enabled: null })).toBeUndefined();
  });
});

describe('keycloak groupsReaching', () => {
  const tree: GroupTree = new Map([
    ['top', { name: 'ai-top', children: ['mid'] }],
    ['mid', { name: 'mid', children: ['leaf'] }],
    ['leaf', { name: 'ai-leaf', children: [] }],
    ['loop-a', { name: 'ai-a', children: ['loop-b'] }],
    ['loop-b', { name: 'b', children: ['loop-a'] }],
  ]);
  const scope = compileScope({ ids: [], namePrefix: 'ai-', all: false });

  it('returns the in-scope ancestors-or-self of the direct groups', () => {
    expect(
      groupsReaching(tree, scope, ['leaf'])
        .map(g => g.externalId)
        .sort(),
    ).toEqual(['leaf', 'top']);
    expect(groupsReaching(tree, scope, ['mid']).map(g => g.externalId)).toEqual(['top']);
  });

  it('terminates on a cycle', () => {
    expect(groupsReaching(tree, scope, ['loop-b']).map(g => g.externalId)).toEqual(['loop-a']);
  });
});
