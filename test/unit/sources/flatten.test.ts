import { describe, expect, it } from 'vitest';

import { flattenMembers, type GroupMembers } from '../../../src/sources/flatten.js';

function group(id: string, userIds: string[], groupIds: string[] = []): GroupMembers {
  return { externalId: id, name: `name-${id}`, userIds, groupIds };
}

function membersOf(groups: readonly GroupMembers[]): Record<string, readonly string[]> {
  const result = flattenMembers(groups);
  return Object.fromEntries(result.groups.map(g => [g.externalId, g.memberIds]));
}

describe('flattenMembers', () => {
  it('keeps direct members of a flat group, in order', () => {
    const result = flattenMembers([group('a', ['u1', 'u2'])]);
    expect(result).toEqual({
      groups: [{ externalId: 'a', name: 'name-a', memberIds: ['u1', 'u2'] }],
      problems: [],
    });
  });

  it('adds the members of nested groups, direct members first', () => {
    expect(membersOf([group('parent', ['u1'], ['child']), group('child', ['u2', 'u3'])])).toEqual({
      parent: ['u1', 'u2', 'u3'],
      child: ['u2', 'u3'],
    });
  });

  it('counts a user reached through two paths once (diamond)', () => {
    const groups = [
      group('top', ['u1'], ['left', 'right']),
      group('left', ['u2'], ['bottom']),
      group('right', ['u1'], ['bottom']),
      group('bottom', ['u2', 'u3']),
    ];
    expect(membersOf(groups).top).toEqual(['u1', 'u2', 'u3']);
  });

  it('gives every group of a cycle the union around it, and reports the cycle', () => {
    const result = flattenMembers([
      group('a', ['u1'], ['b']),
      group('b', ['u2'], ['c']),
      group('c', ['u3'], ['a', 'd']),
      group('d', ['u4']),
      group('outside', [], ['a']),
    ]);
    const byId = Object.fromEntries(result.groups.map(g => [g.externalId, [...g.memberIds]]));
    for (const id of ['a', 'b', 'c', 'outside']) {
      expect(byId[id]?.sort()).toEqual(['u1', 'u2', 'u3', 'u4']);
    }
    expect(byId.d).toEqual(['u4']);
    expect(result.problems).toEqual([{ kind: 'cycle', groupIds: ['a', 'b', 'c'] }]);
  });

  it('reports a group that contains itself', () => {
    const result = flattenMembers([group('self', ['u1'], ['self'])]);
    expect(result.groups[0]?.memberIds).toEqual(['u1']);
    expect(result.problems).toEqual([{ kind: 'cycle', groupIds: ['self'] }]);
  });

  it('flattens a 1,000-level chain without overflowing the stack', () => {
    const depth = 1000;
    const groups = Array.from({ length: depth }, (_, level) =>
      group(`g${level}`, [`u${level}`], level + 1 < depth ? [`g${level + 1}`] : []),
    );
    const result = flattenMembers(groups);
    expect(result.groups[0]?.memberIds).toHaveLength(depth);
    expect(result.groups[depth - 1]?.memberIds).toEqual([`u${depth - 1}`]);
    expect(result.problems).toEqual([]);
  });

  it('walks a 100,000-level chain iteratively (a recursive walk would overflow)', () => {
    const depth = 100_000;
    const groups = Array.from({ length: depth }, (_, level) =>
      group(
        `g${level}`,
        level + 1 < depth ? [] : ['leaf-user'],
        level + 1 < depth ? [`g${level + 1}`] : [],
      ),
    );
    expect(flattenMembers(groups).groups[0]?.memberIds).toEqual(['leaf-user']);
  });

  it('survives a 1,000-group cycle', () => {
    const depth = 1000;
    const groups = Array.from({ length: depth }, (_, level) =>
      group(`g${level}`, [`u${level}`], [`g${(level + 1) % depth}`]),
    );
    const result = flattenMembers(groups);
    expect(result.groups.every(g => g.memberIds.length === depth)).toBe(true);
    expect(result.problems).toHaveLength(1);
  });

  it('reports unknown child groups and duplicate ids instead of throwing', () => {
    const result = flattenMembers([
      group('a', ['u1'], ['ghost']),
      group('a', ['u9']),
      group('b', ['u2'], ['a']),
    ]);
    expect(result.groups.map(g => [g.externalId, g.memberIds])).toEqual([
      ['a', ['u1']],
      ['b', ['u2', 'u1']],
    ]);
    expect(result.problems).toEqual([
      { kind: 'duplicate-group', groupId: 'a' },
      { kind: 'unknown-group', groupId: 'a', childId: 'ghost' },
    ]);
  });
});
