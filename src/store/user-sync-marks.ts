import type { Database } from 'better-sqlite3';

import type { Store } from './types.js';

/** Queries over `user_sync_marks`: when each user's last per-user sync read and wrote. */
export function createUserSyncMarkQueries(
  db: Database,
): Pick<Store, 'markUserSync' | 'userSyncMarks'> {
  const upsert = db.prepare(
    `INSERT INTO user_sync_marks (source, external_id, read_at, writes_until) VALUES (?, ?, ?, ?)
     ON CONFLICT (source, external_id) DO UPDATE SET read_at = excluded.read_at, writes_until = excluded.writes_until`,
  );
  const since = db.prepare(
    'SELECT external_id, writes_until FROM user_sync_marks WHERE source = ? AND writes_until >= ?',
  );
  return {
    markUserSync: (source, externalId, mark) => {
      upsert.run(source, externalId, mark.readAt, Math.max(mark.readAt, mark.writesUntil));
    },
    userSyncMarks: (source, sinceMs) =>
      new Map(
        (since.all(source, sinceMs) as { external_id: string; writes_until: number }[]).map(row => [
          row.external_id,
          row.writes_until,
        ]),
      ),
  };
}
