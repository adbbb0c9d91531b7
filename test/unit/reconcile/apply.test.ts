import { afterEach, describe, expect, it, vi } from 'vitest';

import { createMemoryTarget } from '../../../bench/memory-target.js';
import { silentLogger } from '../../../src/log.js';
import { apply } from '../../../src/reconcile/apply.js';
import type { Operation } from '../../../src/reconcile/operations.js';
import { createOutcomeJournal } from '../../../src/reconcile/outcome-journal.js';
import { createSqliteStore } from '../../../src/store/sqlite.js';
import type { Store } from '../../../src/store/types.js';
import type { Target } from '../../../src/target/types.js';

const runId = 'run-1';

function newStore(operations: readonly Operation[]): Store {
  const store = createSqliteStore(':memory:');
  store.startRun({ runId, source: 'file', kind: 'full', trigger: 'manual', dryRun: false });
  store.recordOperations(
    runId,
    operations.map((op, seq) => ({ seq, kind: op.kind, subject: op.kind, payload: op })),
  );
  return store;
}

const createUser = (userId: string): Operation => ({
  kind: 'createUser',
  userId,
  externalId: `ext-${userId}`,
  email: null,
  alias: null,
  role: 'internal_user',
});
const createTeam = (teamId: string): Operation => ({
  kind: 'createTeam',
  teamId,
  alias: teamId,
  externalId: teamId,
});
const addMembers = (teamId: string, userIds: readonly string[]): Operation => ({
  kind: 'addMembers',
  teamId,
  members: userIds.map(userId => ({ userId, role: 'user' as const })),
});

/** Grants as `team/user`. */
function grantsOf(store: Store): string[] {
  return [...store.ownership('file').grants.values()].map(g => `${g.teamId}/${g.userId}`).sort();
}

const run = { runId, source: 'file', audit: undefined };

describe('apply', () => {
  it('records every outcome row and audit entry before it returns, and keeps only failures', async () => {
    const users = Array.from({ length: 450 }, (_, i) => `u${i}`);
    const operations = [createTeam('t1'), ...users.map(createUser), addMembers('t1', users)];
    const store = newStore(operations);
    const target = createMemoryTarget();
    const result = await apply(
      operations,
      { ...run, audit: { trigger: 'manual', state: { teams: new Map(), users: [] } } },
      { target, store, logger: silentLogger(), concurrency: 8 },
    );
    expect(result.failures).toEqual([]);
    expect(result.applied).toEqual({
      createTeam: { ok: 1, failed: 0 },
      createUser: { ok: 450, failed: 0 },
      addMembers: { ok: 1, failed: 0 },
    });
    const rows = store.operations(runId);
    expect(rows.filter(r => r.status === 'ok')).toHaveLength(operations.length);
    expect(store.audit({ runId })).toHaveLength(operations.length);
    expect(grantsOf(store)).toHaveLength(450);
  });

  it('does not add a member whose create failed, and leaves no grant for that add', async () => {
    const operations = [
      createTeam('t1'),
      createTeam('t2'),
      createUser('alice'),
      createUser('bob'),
      addMembers('t1', ['alice', 'bob']),
      addMembers('t2', ['alice']),
    ];
    const store = newStore(operations);
    const memory = createMemoryTarget();
    const target: Target = {
      ...memory,
      createUser: (user, signal) =>
        user.userId === 'bob'
          ? Promise.reject(new Error('LiteLLM said no'))
          : memory.createUser(user, signal),
    };
    const result = await apply(operations, run, {
      target,
      store,
      logger: silentLogger(),
      concurrency: 4,
    });
    expect(result.failures.map(f => [f.seq, f.error])).toEqual([
      [3, 'LiteLLM said no'],
      [4, 'not applied: user bob was not created'],
    ]);
    expect(grantsOf(store)).toEqual(['t2/alice']);
  });

  it('withdraws the write-ahead grants of adds an abort kept from starting', async () => {
    const operations = [
      createTeam('t1'),
      createTeam('t2'),
      createTeam('t3'),
      createUser('alice'),
      addMembers('t1', ['alice']),
      addMembers('t2', ['alice']),
      addMembers('t3', ['alice']),
    ];
    const store = newStore(operations);
    const memory = createMemoryTarget();
    const controller = new AbortController();
    const target: Target = {
      ...memory,
      // The first add aborts the run while it is in flight: it may have landed, the others not.
      addMembers: async (teamId, members, signal) => {
        const done = await memory.addMembers(teamId, members, signal);
        controller.abort(new Error('shutting down'));
        return done;
      },
    };
    await expect(
      apply(
        operations,
        { ...run, signal: controller.signal },
        { target, store, logger: silentLogger(), concurrency: 1 },
      ),
    ).rejects.toThrow('shutting down');
    expect(grantsOf(store)).toEqual(['t1/alice']);
    // The in-flight add's outcome is recorded; the two never started stay pending.
    expect(store.operations(runId).map(r => r.status)).toEqual([
      'ok',
      'ok',
      'ok',
      'ok',
      'ok',
      'pending',
      'pending',
    ]);
  });
});

describe('createOutcomeJournal', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const outcome = (seq: number) =>
    ({ seq, op: createUser(`u${seq}`), ok: true, detail: {} }) as const;

  it('writes a group once it is full, and the rest after the delay', () => {
    vi.useFakeTimers();
    const store = newStore(Array.from({ length: 5 }, (_, i) => createUser(`u${i}`)));
    const journal = createOutcomeJournal(store, runId, undefined, {
      maxPending: 3,
      maxDelayMs: 50,
    });
    const statuses = () => store.operations(runId).map(r => r.status);
    journal.add(outcome(0));
    journal.add(outcome(1));
    expect(statuses()).toEqual(['pending', 'pending', 'pending', 'pending', 'pending']);
    journal.add(outcome(2));
    expect(statuses()).toEqual(['ok', 'ok', 'ok', 'pending', 'pending']);
    journal.add(outcome(3));
    vi.advanceTimersByTime(49);
    expect(statuses()[3]).toBe('pending');
    vi.advanceTimersByTime(1);
    expect(statuses()).toEqual(['ok', 'ok', 'ok', 'ok', 'pending']);
    journal.add(outcome(4));
    journal.flush();
    expect(statuses()).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
  });
});
