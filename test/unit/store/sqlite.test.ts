import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { createSqliteStore } from '../../../src/store/sqlite.js';
import { grantKey } from '../../../src/store/types.js';

describe('SQLite store', () => {
  it('creates the database file owner-only (0600) and migrates it once', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'idp-sync-store-')), 'nested', 'state.db');
    createSqliteStore(path).close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const again = createSqliteStore(path);
    expect(again.recentRuns(5)).toEqual([]);
    again.close();
  });

  it('keeps ownership per source and forgets a user with their grants', () => {
    const store = createSqliteStore(':memory:');
    store.recordTeam({ teamId: 't1', source: 'file', externalId: 'g1', alias: 'One' });
    store.recordUser({ userId: 'u1', source: 'file', externalId: 'x1', email: 'u1@example.com' });
    store.recordUser({ userId: 'u2', source: 'entra', externalId: 'x2', email: null });
    store.recordGrants([{ teamId: 't1', userId: 'u1', source: 'file', role: 'user' }], 'run-1');
    const owned = store.ownership('file');
    expect([...owned.teams.keys()]).toEqual(['t1']);
    expect([...owned.users.keys()]).toEqual(['u1']);
    expect(owned.grants.get(grantKey('t1', 'u1'))).toEqual({
      teamId: 't1',
      userId: 'u1',
      source: 'file',
      role: 'user',
    });
    store.forgetUser('u1');
    expect(store.ownership('file').grants.size).toBe(0);
    expect(store.ownership('entra').users.size).toBe(1);
    store.close();
  });

  it("reads one person's ownership without loading everyone", () => {
    const store = createSqliteStore(':memory:');
    for (const id of ['t1', 't2', 't3']) {
      store.recordTeam({ teamId: id, source: 'file', externalId: id, alias: id });
    }
    store.recordUser({ userId: 'u1', source: 'file', externalId: 'x1', email: 'One@Example.com' });
    store.recordUser({ userId: 'u2', source: 'file', externalId: 'x2', email: null });
    store.recordGrants(
      [
        { teamId: 't1', userId: 'u1', source: 'file', role: 'user' },
        { teamId: 't2', userId: 'u2', source: 'file', role: 'user' },
      ],
      'r',
    );
    const mine = store.userOwnership('file', 'x1', ['t3', 'missing']);
    expect([...mine.users.keys()]).toEqual(['u1']);
    expect([...mine.grants.keys()]).toEqual([grantKey('t1', 'u1')]);
    expect([...mine.teams.keys()].sort()).toEqual(['t1', 't3']);
    expect(store.findManagedUser('file', ' one@example.com')?.userId).toBe('u1');
    expect(store.findManagedUser('file', 'u2')?.externalId).toBe('x2');
    expect(store.findManagedUser('file', 'x2')?.userId).toBe('u2');
    expect(store.findManagedUser('entra', 'x2')).toBeUndefined();
    store.close();
  });

  it('records runs and one row per operation outcome', () => {
    const store = createSqliteStore(':memory:');
    store.startRun({ runId: 'r1', source: 'file', kind: 'full', trigger: 'manual', dryRun: false });
    store.recordOperations('r1', [
      { seq: 0, kind: 'createTeam', subject: 'team t1', payload: { teamId: 't1' } },
      { seq: 1, kind: 'createUser', subject: 'user u1', payload: { userId: 'u1' } },
    ]);
    store.completeOperation('r1', 0, { status: 'ok', detail: { result: 'created' } });
    store.completeOperation('r1', 1, { status: 'failed', error: 'boom' });
    store.finishRun('r1', 'partial', { applied: 1 });
    expect(store.run('r1')).toMatchObject({ status: 'partial', summary: { applied: 1 } });
    expect(store.operations('r1').map(o => [o.seq, o.status, o.error])).toEqual([
      [0, 'ok', null],
      [1, 'failed', 'boom'],
    ]);
    store.close();
  });

  it('marks a full run left running as interrupted', () => {
    const store = createSqliteStore(':memory:');
    store.startRun({
      runId: 'dead',
      source: 'file',
      kind: 'full',
      trigger: 'manual',
      dryRun: false,
    });
    store.startRun({
      runId: 'login',
      source: 'file',
      kind: 'user',
      trigger: 'login',
      dryRun: false,
    });
    store.startRun({
      runId: 'now',
      source: 'file',
      kind: 'full',
      trigger: 'manual',
      dryRun: false,
    });
    expect(store.interruptRuns('file', 'now')).toEqual(['dead']);
    expect(store.run('dead')?.status).toBe('interrupted');
    expect(store.run('login')?.status).toBe('running');
    store.close();
  });

  describe('run lock', () => {
    it('refuses a second holder while the first is alive, and takes over from a dead one', () => {
      let alive = true;
      const store = createSqliteStore(':memory:', { host: 'h', pid: 1, isAlive: () => alive });
      expect(store.acquireLock('file', 'r1', 60_000)).toEqual({
        acquired: true,
        takenOverRunId: undefined,
      });
      expect(store.acquireLock('file', 'r2', 60_000)).toEqual({
        acquired: false,
        heldBy: { runId: 'r1', host: 'h', pid: 1 },
      });
      alive = false;
      expect(store.acquireLock('file', 'r2', 60_000)).toEqual({
        acquired: true,
        takenOverRunId: 'r1',
      });
      store.releaseLock('file', 'r2');
      expect(store.acquireLock('file', 'r3', 60_000).acquired).toBe(true);
      store.close();
    });

    it('takes over a lease once it has expired, even from a live holder', () => {
      let now = 0;
      const store = createSqliteStore(':memory:', {
        host: 'a',
        now: () => new Date(now),
        isAlive: () => true,
      });
      store.acquireLock('file', 'r1', 1000);
      now = 500;
      expect(store.acquireLock('file', 'r2', 1000).acquired).toBe(false);
      now = 1500;
      expect(store.acquireLock('file', 'r2', 1000)).toEqual({
        acquired: true,
        takenOverRunId: 'r1',
      });
      store.close();
    });
  });
});
