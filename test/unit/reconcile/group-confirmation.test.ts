/**
 * A managed team's group missing from a complete read: its grants stay and the team is not
 * retired until the group has been missing for DEPROVISION_CONFIRMATIONS snapshots (a skipped
 * page of groups reads exactly like deleted groups; removing members deletes their team keys).
 */
import { describe, expect, it } from 'vitest';

import {
  defaultLifecyclePolicy,
  groupAbsenceKey,
  nextAbsences,
  type LifecycleInput,
} from '../../../src/reconcile/lifecycle.js';
import { plan } from '../../../src/reconcile/plan.js';
import {
  fullInput,
  group,
  idpUser,
  litellmUser,
  ownership,
  team,
} from '../../helpers/plan-fixtures.js';

const lifecycle = (absences: [string, number][]): LifecycleInput => ({
  policy: { ...defaultLifecyclePolicy, confirmations: 2, onGroupRemoved: 'block' },
  now: Date.parse('2026-12-04T00:00:00Z'),
  absences: new Map(absences),
  suspended: new Map(),
});

// alice is in g-eng and g-ops; g-ops has vanished from the read.
const input = (absences: [string, number][]) =>
  fullInput({
    idpUsers: [idpUser('alice')],
    groups: [group('g-eng', ['alice'])],
    litellmTeams: [team('g-eng', ['alice']), team('g-ops', ['alice'])],
    litellmUsers: [litellmUser('alice', { teams: ['g-eng', 'g-ops'] })],
    ownership: ownership({
      teams: ['g-eng', 'g-ops'],
      users: ['alice'],
      grants: [
        ['g-eng', 'alice'],
        ['g-ops', 'alice'],
      ],
    }),
    lifecycle: lifecycle(absences),
  });

describe('a managed team whose group is missing from a complete read', () => {
  it('keeps its members and the team on the first read that misses it', () => {
    const result = plan(input([[groupAbsenceKey('g-ops'), 1]]));
    expect(result.operations).toEqual([]);
    expect(result.unconfirmedGroups).toEqual({ 'g-ops': 1 });
  });

  it('removes the grant and retires the team once the absence is confirmed', () => {
    const result = plan(input([[groupAbsenceKey('g-ops'), 2]]));
    expect(result.operations.map(op => op.kind).sort()).toEqual(['removeMember', 'retireTeam']);
    expect(result.unconfirmedGroups).toEqual({});
  });

  it('acts at once without a lifecycle policy (one snapshot confirms), as for users', () => {
    const result = plan({ ...input([]), lifecycle: undefined });
    expect(result.operations.map(op => op.kind)).toEqual(['removeMember']);
  });
});

describe('nextAbsences', () => {
  it('counts a managed team’s missing group up, and forgets it once the group is back', () => {
    const owned = ownership({ teams: ['g-eng', 'g-ops'], users: [] });
    const users = new Map([['alice', idpUser('alice')]]);
    const once = nextAbsences(owned, users, [group('g-eng', ['alice'])], new Map());
    expect(once.get(groupAbsenceKey('g-ops'))).toBe(1);
    const twice = nextAbsences(owned, users, [group('g-eng', ['alice'])], once);
    expect(twice.get(groupAbsenceKey('g-ops'))).toBe(2);
    const back = nextAbsences(owned, users, [group('g-eng', ['alice']), group('g-ops', [])], twice);
    expect(back.has(groupAbsenceKey('g-ops'))).toBe(false);
  });
});
