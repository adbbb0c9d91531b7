import { describe, expect, it } from 'vitest';

import { checkStoredPlan } from '../../../src/reconcile/approval.js';
import { planBasis, type BasisInput } from '../../../src/reconcile/basis.js';
import type { Operation } from '../../../src/reconcile/operations.js';

const input: BasisInput = {
  snapshot: {
    source: 'file',
    users: new Map([['alice', { externalId: 'alice', login: 'alice', active: true }]]),
    groups: [{ externalId: 'g', name: 'ai-g', memberIds: ['alice'] }],
    complete: true,
    problems: [],
  },
  teams: new Map(),
  users: [],
  ownership: { teams: new Map(), users: new Map(), grants: new Map() },
  suspensions: new Map(),
};
const ops: Operation[] = [{ kind: 'removeMember', teamId: 'g', userId: 'bob' }];

describe('saved plan basis and the stored-plan check', () => {
  it('fingerprints independently of list order', () => {
    const shuffled = {
      ...input,
      snapshot: {
        ...input.snapshot,
        groups: [
          { externalId: 'h', name: 'ai-h', memberIds: ['b', 'a'] },
          ...input.snapshot.groups,
        ],
      },
    };
    const reordered = {
      ...shuffled,
      snapshot: { ...shuffled.snapshot, groups: [...shuffled.snapshot.groups].reverse() },
    };
    expect(planBasis(shuffled)).toEqual(planBasis(reordered));
    expect(planBasis(shuffled).parts.idp).not.toBe(planBasis(input).parts.idp);
    expect(planBasis(shuffled).parts.litellm).toBe(planBasis(input).parts.litellm);
  });

  it('accepts the same operations on the same basis, and names what changed otherwise', () => {
    const basis = planBasis(input);
    const stored = { runId: 'r1', origin: 'saved-plan' as const, operations: ops, basis };
    expect(checkStoredPlan(stored, ops, basis)).toEqual({ ok: true });
    const moved = planBasis({
      ...input,
      users: [{ userId: 'x', email: null, ssoUserId: null, role: null, teams: [], metadata: {} }],
    });
    const drift = checkStoredPlan(stored, [], moved);
    expect(drift.ok).toBe(false);
    expect(!drift.ok && drift.reason).toContain("changed since: LiteLLM's teams or users");
    expect(!drift.ok && drift.reason).toContain('no longer: team g -= bob');
    expect(!drift.ok && drift.reason).toContain('the saved plan (run r1)');
    // A quarantine has no basis: its operations alone are compared.
    expect(checkStoredPlan({ runId: 'q', operations: ops }, ops, moved)).toEqual({ ok: true });
  });
});
