import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';

import BetterSqlite3 from 'better-sqlite3';

import { SyncError } from '../errors.js';
import { createAuditQueries } from './audit.js';
import { createGrantRecordQueries } from './grant-records.js';
import { migrate } from './migrate.js';
import { createOwnershipQueries } from './ownership.js';
import { createRunQueries } from './runs.js';
import { createSafetyQueries } from './safety.js';
import { createSourceState } from './source-state.js';
import type { LockResult, Store } from './types.js';
import { createUserSyncMarkQueries } from './user-sync-marks.js';

/** Options for {@link createSqliteStore}; `now`, `host` and `isAlive` are injectable for tests. */
export type SqliteStoreOptions = {
  readonly now?: () => Date;
  readonly host?: string;
  readonly pid?: number;
  /** Whether a process on this host is still running (for taking over a crashed run's lock). */
  readonly isAlive?: (pid: number) => boolean;
};

/**
 * Opens (creating if needed, mode 0600) the SQLite store at `path` (`:memory:` in tests) and
 * brings its schema up to date.
 */
export function createSqliteStore(path: string, options: SqliteStoreOptions = {}): Store {
  const now = options.now ?? (() => new Date());
  const db = openDatabase(path);
  migrate(db, now);
  const ownership = createOwnershipQueries(db, now);
  const runs = createRunQueries(db, now);
  const host = options.host ?? hostname();
  const pid = options.pid ?? process.pid;
  const isAlive = options.isAlive ?? processIsAlive;

  const acquireLock = (source: string, runId: string, ttlMs: number): LockResult =>
    db.transaction((): LockResult => {
      const held = db
        .prepare('SELECT run_id, host, pid, expires_at FROM run_locks WHERE source = ?')
        .get(source) as
        { run_id: string; host: string; pid: number; expires_at: number } | undefined;
      const stale =
        held !== undefined &&
        (held.expires_at < now().getTime() || (held.host === host && !isAlive(held.pid)));
      if (held !== undefined && !stale && held.run_id !== runId) {
        return { acquired: false, heldBy: { runId: held.run_id, host: held.host, pid: held.pid } };
      }
      db.prepare(
        'INSERT INTO run_locks (source, run_id, host, pid, expires_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (source) DO UPDATE SET run_id = excluded.run_id, host = excluded.host, pid = excluded.pid, expires_at = excluded.expires_at',
      ).run(source, runId, host, pid, now().getTime() + ttlMs);
      return { acquired: true, takenOverRunId: stale ? held.run_id : undefined };
    })();

  return {
    ...ownership,
    ...runs,
    ...createUserSyncMarkQueries(db),
    ...createSafetyQueries(db, now),
    ...createAuditQueries(db),
    ...createGrantRecordQueries(db),
    sourceState: source => createSourceState(db, source, now),
    acquireLock,
    renewLock: (source, runId, ttlMs) => {
      db.prepare('UPDATE run_locks SET expires_at = ? WHERE source = ? AND run_id = ?').run(
        now().getTime() + ttlMs,
        source,
        runId,
      );
    },
    releaseLock: (source, runId) => {
      db.prepare('DELETE FROM run_locks WHERE source = ? AND run_id = ?').run(source, runId);
    },
    // better-sqlite3 turns a nested transaction into a savepoint of the outer one.
    batch: fn => db.transaction(fn)(),
    close: () => db.close(),
  };
}

function openDatabase(path: string): BetterSqlite3.Database {
  try {
    if (path !== ':memory:') {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      // Create the file with owner-only permissions before SQLite opens it, so it never exists
      // readable by others, even for an instant.
      closeSync(openSync(path, 'a', 0o600));
      chmodSync(path, 0o600);
    }
    const db = new BetterSqlite3(path);
    db.pragma('journal_mode = WAL');
    // WAL with NORMAL syncs at checkpoints, not at every commit: a committed write survives a
    // crash of the process; only a power cut can lose the last few (the file stays consistent).
    // FULL made each autocommit (one per grant) an fsync that blocked the event loop ~0.5 ms.
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    return db;
  } catch (error) {
    throw new SyncError(
      'STORE_FAILED',
      `Cannot open the state store at ${path} (IDP_SYNC_DB): ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM means the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
