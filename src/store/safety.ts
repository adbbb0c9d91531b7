import type { Database } from 'better-sqlite3';

import type { Quarantine, QuarantineState, SafetyStore, Suspension } from './types.js';

type QuarantineRow = {
  run_id: string;
  source: string;
  reason: string;
  state: QuarantineState;
  created_at: string;
  decided_by: string | null;
  decided_at: string | null;
  applied_run: string | null;
  note: string | null;
};

type SuspensionRow = {
  user_id: string;
  source: string;
  external_id: string;
  reason: string;
  run_id: string | null;
  suspended_at: number;
  delete_after: number;
};

/** Queries over the safety tables of migration 004: quarantines, suspensions, blocked keys, absences. */
export function createSafetyQueries(db: Database, now: () => Date): SafetyStore {
  const supersede = (source: string, exceptRunId: string): void => {
    db.prepare(
      `UPDATE quarantines SET state = 'superseded', decided_at = ? WHERE source = ? AND state = 'pending' AND run_id != ?`,
    ).run(now().toISOString(), source, exceptRunId);
  };
  return {
    quarantine: entry =>
      db.transaction(() => {
        supersede(entry.source, entry.runId);
        db.prepare(
          `INSERT INTO quarantines (run_id, source, reason, state, created_at) VALUES (?, ?, ?, 'pending', ?)`,
        ).run(entry.runId, entry.source, entry.reason, now().toISOString());
      })(),
    supersedeQuarantines: supersede,
    quarantines: (filter = {}) =>
      (
        db
          .prepare(
            `SELECT * FROM quarantines WHERE (@source IS NULL OR source = @source) AND (@state IS NULL OR state = @state)
             ORDER BY created_at DESC, rowid DESC`,
          )
          .all({ source: filter.source ?? null, state: filter.state ?? null }) as QuarantineRow[]
      ).map(toQuarantine),
    getQuarantine: runId => {
      const row = db.prepare('SELECT * FROM quarantines WHERE run_id = ?').get(runId) as
        QuarantineRow | undefined;
      return row === undefined ? undefined : toQuarantine(row);
    },
    decideQuarantine: (runId, decision) => {
      db.prepare(
        'UPDATE quarantines SET state = ?, decided_by = ?, decided_at = ?, applied_run = ? WHERE run_id = ?',
      ).run(decision.state, decision.by, now().toISOString(), decision.appliedRun ?? null, runId);
    },
    noteQuarantine: (runId, note) => {
      db.prepare('UPDATE quarantines SET note = ? WHERE run_id = ?').run(note, runId);
    },

    suspensions: source => {
      const rows = db
        .prepare('SELECT * FROM suspended_users WHERE source = ?')
        .all(source) as SuspensionRow[];
      const tokens = db.prepare('SELECT token FROM blocked_keys WHERE user_id = ? ORDER BY token');
      return new Map(
        rows.map((row): [string, Suspension] => [
          row.user_id,
          {
            userId: row.user_id,
            source: row.source,
            externalId: row.external_id,
            reason: row.reason,
            runId: row.run_id,
            suspendedAt: row.suspended_at,
            deleteAfter: row.delete_after,
            tokens: (tokens.all(row.user_id) as { token: string }[]).map(t => t.token),
          },
        ]),
      );
    },
    recordSuspension: s => {
      db.prepare(
        `INSERT INTO suspended_users (user_id, source, external_id, reason, run_id, suspended_at, delete_after)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (user_id) DO UPDATE SET reason = excluded.reason, run_id = excluded.run_id,
           suspended_at = excluded.suspended_at, delete_after = excluded.delete_after`,
      ).run(s.userId, s.source, s.externalId, s.reason, s.runId, s.suspendedAt, s.deleteAfter);
    },
    recordBlockedKey: (token, userId, runId) => {
      db.prepare(
        'INSERT INTO blocked_keys (token, user_id, run_id, blocked_at) VALUES (?, ?, ?, ?) ON CONFLICT (token) DO NOTHING',
      ).run(token, userId, runId, now().getTime());
    },
    forgetBlockedKey: token => {
      db.prepare('DELETE FROM blocked_keys WHERE token = ?').run(token);
    },
    forgetSuspension: userId =>
      db.transaction(() => {
        db.prepare('DELETE FROM blocked_keys WHERE user_id = ?').run(userId);
        db.prepare('DELETE FROM suspended_users WHERE user_id = ?').run(userId);
      })(),

    absences: source =>
      new Map(
        (
          db.prepare('SELECT external_id, count FROM absences WHERE source = ?').all(source) as {
            external_id: string;
            count: number;
          }[]
        ).map(row => [row.external_id, row.count]),
      ),
    setAbsences: (source, runId, counts) =>
      db.transaction(() => {
        const previous = new Map(
          (
            db
              .prepare('SELECT external_id, first_run FROM absences WHERE source = ?')
              .all(source) as { external_id: string; first_run: string | null }[]
          ).map(row => [row.external_id, row.first_run]),
        );
        db.prepare('DELETE FROM absences WHERE source = ?').run(source);
        const insert = db.prepare(
          'INSERT INTO absences (source, external_id, count, first_run, last_run) VALUES (?, ?, ?, ?, ?)',
        );
        for (const [externalId, count] of counts) {
          insert.run(source, externalId, count, previous.get(externalId) ?? runId, runId);
        }
      })(),
  };
}

function toQuarantine(row: QuarantineRow): Quarantine {
  return {
    runId: row.run_id,
    source: row.source,
    reason: row.reason,
    state: row.state,
    createdAt: row.created_at,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    appliedRun: row.applied_run,
    note: row.note,
  };
}
