import type { Database } from 'better-sqlite3';

import type { GrantRecord } from './types.js';

/** Grants with the run that made them and when (for `explain`). */
export function createGrantRecordQueries(db: Database): {
  grantsOf(userId: string): GrantRecord[];
} {
  return {
    grantsOf: userId =>
      (
        db
          .prepare(
            'SELECT team_id, user_id, source, role, run_id, created_at FROM grants WHERE user_id = ? ORDER BY team_id',
          )
          .all(userId) as {
          team_id: string;
          user_id: string;
          source: string;
          role: string;
          run_id: string | null;
          created_at: string;
        }[]
      ).map(row => ({
        teamId: row.team_id,
        userId: row.user_id,
        source: row.source,
        role: row.role,
        runId: row.run_id,
        createdAt: row.created_at,
      })),
  };
}
