import type { Database } from 'better-sqlite3';

import type { AuditEntry, AuditFilter, AuditStore } from './types.js';

type AuditRow = {
  id: number;
  at: number;
  run_id: string;
  source: string;
  trigger: string;
  actor: string | null;
  seq: number;
  kind: string;
  subject: string;
  users: string;
  status: 'ok' | 'failed';
  before: string | null;
  after: string | null;
  error: string | null;
};

/** Queries over the audit log of migration 005. */
export function createAuditQueries(db: Database): AuditStore {
  const insert = db.prepare(
    `INSERT INTO audit_log (at, run_id, source, trigger, actor, seq, kind, subject, users, status, before, after, error)
     VALUES (@at, @runId, @source, @trigger, @actor, @seq, @kind, @subject, @users, @status, @before, @after, @error)`,
  );
  return {
    recordAudit: entry => {
      insert.run({
        at: entry.at,
        runId: entry.runId,
        source: entry.source,
        trigger: entry.trigger,
        actor: entry.actor ?? null,
        seq: entry.seq,
        kind: entry.kind,
        subject: entry.subject,
        users: `\n${entry.users.join('\n')}\n`,
        status: entry.status,
        before: entry.before === undefined ? null : JSON.stringify(entry.before),
        after: entry.after === undefined ? null : JSON.stringify(entry.after),
        error: entry.error ?? null,
      });
    },
    audit: (filter: AuditFilter = {}) => {
      const users = filter.users ?? [];
      const userClause =
        users.length === 0
          ? ''
          : `AND (${users.map((_, i) => `instr(users, @u${i}) > 0`).join(' OR ')})`;
      const params: Record<string, unknown> = {
        since: filter.sinceMs ?? 0,
        runId: filter.runId ?? null,
        limit: filter.limit ?? -1,
      };
      users.forEach((user, i) => {
        params[`u${i}`] = `\n${user}\n`;
      });
      const rows = db
        .prepare(
          `SELECT * FROM audit_log WHERE at >= @since AND (@runId IS NULL OR run_id = @runId) ${userClause}
           ORDER BY at DESC, id DESC LIMIT @limit`,
        )
        .all(params) as AuditRow[];
      return rows.map(toEntry);
    },
    pruneAudit: beforeMs => db.prepare('DELETE FROM audit_log WHERE at < ?').run(beforeMs).changes,
  };
}

function toEntry(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    runId: row.run_id,
    source: row.source,
    trigger: row.trigger,
    actor: row.actor,
    seq: row.seq,
    kind: row.kind,
    subject: row.subject,
    users: row.users.split('\n').filter(u => u !== ''),
    status: row.status,
    before: row.before === null ? undefined : (JSON.parse(row.before) as unknown),
    after: row.after === null ? undefined : (JSON.parse(row.after) as unknown),
    error: row.error,
  };
}
