import type { Database } from 'better-sqlite3';

import type { OperationOutcomeRecord, RunRecord, RunStatus, Store } from './types.js';

type RunRow = {
  run_id: string;
  source: string;
  kind: RunRecord['kind'];
  trigger: RunRecord['trigger'];
  subject: string | null;
  dry_run: number;
  status: RunStatus;
  started_at: string;
  finished_at: string | null;
  summary: string | null;
  error: string | null;
};

type OperationRow = {
  seq: number;
  kind: string;
  subject: string;
  payload: string;
  status: OperationOutcomeRecord['status'];
  detail: string | null;
  error: string | null;
};

/** Queries over runs and their per-operation outcomes. */
export function createRunQueries(
  db: Database,
  now: () => Date,
): Pick<
  Store,
  | 'startRun'
  | 'finishRun'
  | 'interruptRuns'
  | 'recordOperations'
  | 'completeOperation'
  | 'recentRuns'
  | 'run'
  | 'operations'
> {
  const insertOperation = db.prepare(
    `INSERT INTO operations (run_id, seq, kind, subject, payload, status)
     VALUES (?, ?, ?, ?, ?, 'pending')`,
  );
  const updateOperation = db.prepare(
    'UPDATE operations SET status = ?, detail = ?, error = ?, finished_at = ? WHERE run_id = ? AND seq = ?',
  );
  return {
    startRun: run => {
      db.prepare(
        `INSERT INTO runs (run_id, source, kind, trigger, subject, dry_run, status, started_at)
         VALUES (?, ?, ?, ?, ?, ?, 'running', ?)`,
      ).run(
        run.runId,
        run.source,
        run.kind,
        run.trigger,
        run.subject ?? null,
        run.dryRun ? 1 : 0,
        now().toISOString(),
      );
    },
    finishRun: (runId, status, summary, error) => {
      db.prepare(
        'UPDATE runs SET status = ?, finished_at = ?, summary = ?, error = ? WHERE run_id = ?',
      ).run(status, now().toISOString(), JSON.stringify(summary ?? null), error ?? null, runId);
    },
    interruptRuns: (source, exceptRunId) =>
      db.transaction(() => {
        const rows = db
          .prepare(
            `SELECT run_id FROM runs WHERE source = ? AND kind = 'full' AND status = 'running' AND run_id != ?`,
          )
          .all(source, exceptRunId) as { run_id: string }[];
        const update = db.prepare(
          `UPDATE runs SET status = 'interrupted', finished_at = ?, error = 'the process ended before the run finished' WHERE run_id = ?`,
        );
        for (const row of rows) {
          update.run(now().toISOString(), row.run_id);
        }
        return rows.map(row => row.run_id);
      })(),
    recordOperations: (runId, operations) => {
      db.transaction(() => {
        for (const op of operations) {
          insertOperation.run(runId, op.seq, op.kind, op.subject, JSON.stringify(op.payload));
        }
      })();
    },
    completeOperation: (runId, seq, outcome) => {
      updateOperation.run(
        outcome.status,
        outcome.detail === undefined ? null : JSON.stringify(outcome.detail),
        outcome.error ?? null,
        now().toISOString(),
        runId,
        seq,
      );
    },
    recentRuns: limit =>
      (
        db
          .prepare('SELECT * FROM runs ORDER BY started_at DESC, rowid DESC LIMIT ?')
          .all(limit) as RunRow[]
      ).map(toRun),
    run: runId => {
      const row = db.prepare('SELECT * FROM runs WHERE run_id = ?').get(runId) as
        RunRow | undefined;
      return row === undefined ? undefined : toRun(row);
    },
    operations: runId =>
      (
        db
          .prepare(
            'SELECT seq, kind, subject, payload, status, detail, error FROM operations WHERE run_id = ? ORDER BY seq',
          )
          .all(runId) as OperationRow[]
      ).map(row => ({
        seq: row.seq,
        kind: row.kind,
        subject: row.subject,
        payload: JSON.parse(row.payload) as unknown,
        status: row.status,
        detail: row.detail === null ? null : (JSON.parse(row.detail) as unknown),
        error: row.error,
      })),
  };
}

function toRun(row: RunRow): RunRecord {
  return {
    runId: row.run_id,
    source: row.source,
    kind: row.kind,
    trigger: row.trigger,
    subject: row.subject ?? undefined,
    dryRun: row.dry_run === 1,
    status: row.status,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    summary: row.summary === null ? null : (JSON.parse(row.summary) as unknown),
    error: row.error,
  };
}
