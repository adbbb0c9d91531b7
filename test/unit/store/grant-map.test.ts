import { describe, expect, it } from 'vitest';

import { createGrantMap } from '../../../src/store/grant-map.js';
import { grantKey, type Grant } from '../../../src/store/types.js';

const grants: Grant[] = [
  { teamId: 't1', userId: 'alice', source: 'entra', role: 'user' },
  { teamId: 't1', userId: 'bob', source: 'entra', role: 'admin' },
  { teamId: 't2', userId: 'alice', source: 'entra', role: 'user' },
  { teamId: 't2', userId: 'bob', source: 'okta', role: 'user' },
  // The same membership again: the later row wins, as in a Map.
  { teamId: 't1', userId: 'alice', source: 'entra', role: 'admin' },
];

describe('createGrantMap', () => {
  const plain = new Map(grants.map(g => [grantKey(g.teamId, g.userId), g]));
  const view = createGrantMap(grants);

  it('answers size, get and has as a plain map keyed by grantKey does', () => {
    expect(view.size).toBe(plain.size);
    for (const key of [...plain.keys(), grantKey('t3', 'alice'), 'no-separator', '']) {
      expect(view.get(key)).toEqual(plain.get(key));
      expect(view.has(key)).toBe(plain.has(key));
    }
  });

  it('iterates the same entries, keys and values (in team, then user, order of first sight)', () => {
    const sortByKey = <T>(list: [string, T][]) => list.sort(([a], [b]) => (a < b ? -1 : 1));
    expect(sortByKey([...view])).toEqual(sortByKey([...plain]));
    expect(sortByKey([...view.entries()])).toEqual(sortByKey([...plain.entries()]));
    expect([...view.keys()].sort()).toEqual([...plain.keys()].sort());
    expect([...view.values()]).toHaveLength(plain.size);
    const seen: string[] = [];
    view.forEach((grant, key, map) => {
      expect(map).toBe(view);
      expect(key).toBe(grantKey(grant.teamId, grant.userId));
      seen.push(key);
    });
    expect(seen.sort()).toEqual([...plain.keys()].sort());
  });

  it('is empty for no grants', () => {
    const empty = createGrantMap([]);
    expect(empty.size).toBe(0);
    expect([...empty]).toEqual([]);
    expect(empty.get(grantKey('t', 'u'))).toBeUndefined();
  });
});
