import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import type { Database } from 'better-sqlite3';

const migrationsDir = fileURLToPath(new URL('./migrations/', import.meta.url));

/**
 * Applies every `NNN-name.sql` in `migrations/` that the database has not seen yet, in order,
 * each in its own transaction, recording it in `schema_migrations`.
 * @returns the versions applied now
 */
export function migrate(db: Database, now: () => Date): number[] {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
  );
  const applied = new Set(
    db
      .prepare('SELECT version FROM schema_migrations')
      .all()
      .map(row => (row as { version: number }).version),
  );
  const files = readdirSync(migrationsDir)
    .filter(name => /^\d{3}-.+\.sql$/.test(name))
    .sort();
  const done: number[] = [];
  for (const name of files) {
    const version = Number.parseInt(name.slice(0, 3), 10);
    if (applied.has(version)) {
      continue;
    }
    const sql = readFileSync(migrationsDir + name, 'utf8');
    db.transaction(() => {
      db.exec(sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        version,
        name,
        now().toISOString(),
      );
    })();
    done.push(version);
  }
  return done;
}
