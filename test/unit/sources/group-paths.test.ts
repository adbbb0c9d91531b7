import { describe, expect, it } from 'vitest';

import { findGroupPaths } from '../../../src/sources/group-paths.js';

const g = (externalId: string, userIds: string[] = [], groupIds: string[] = []) => ({
  externalId,
  name: externalId,
  userIds,
  groupIds,
});

describe('findGroupPaths', () => {
  it('walks up nested groups to every in-scope group, shortest path first', () => {
    const groups = [
      g('top', [], ['mid', 'db']),
      g('mid', [], ['db']),
      g('db', ['alice']),
      g('other', ['bob']),
    ];
    const paths = findGroupPaths(groups, 'alice', group => group.externalId !== 'mid');
    expect(paths.map(p => [p.group.externalId, p.via.map(v => v.externalId)])).toEqual([
      ['db', ['db']],
      ['top', ['top', 'db']],
    ]);
  });

  it('ends on a cycle instead of looping', () => {
    const groups = [g('a', [], ['b']), g('b', ['alice'], ['a'])];
    const paths = findGroupPaths(groups, 'alice', () => true);
    expect(paths.map(p => p.via.map(v => v.externalId))).toEqual([['b'], ['a', 'b']]);
  });

  it('returns nothing for a user in no group', () => {
    expect(findGroupPaths([g('a', ['bob'])], 'alice', () => true)).toEqual([]);
  });
});
