/**
 * The simulator's SQLite database: schema, a statement cache and a strictly increasing clock.
 * Timestamps are microseconds since the epoch and never repeat, so `created_at` alone gives every
 * list a stable order (LiteLLM sorts by `created_at desc` by default).
 */
import Database from 'better-sqlite3';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS teams (
  team_id TEXT PRIMARY KEY,
  team_alias TEXT,
  organization_id TEXT,
  metadata TEXT,
  members_with_roles TEXT NOT NULL DEFAULT '[]',
  models TEXT NOT NULL DEFAULT '[]',
  blocked INTEGER NOT NULL DEFAULT 0,
  max_budget REAL,
  budget_duration TEXT,
  tpm_limit INTEGER,
  rpm_limit INTEGER,
  spend REAL NOT NULL DEFAULT 0,
  created_us INTEGER NOT NULL,
  updated_us INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS teams_created ON teams (created_us);
CREATE TABLE IF NOT EXISTS users (
  user_id TEXT PRIMARY KEY,
  user_email TEXT,
  user_alias TEXT,
  sso_user_id TEXT UNIQUE,
  user_role TEXT,
  teams TEXT NOT NULL DEFAULT '[]',
  metadata TEXT NOT NULL DEFAULT '{}',
  models TEXT NOT NULL DEFAULT '[]',
  max_budget REAL,
  budget_duration TEXT,
  tpm_limit INTEGER,
  rpm_limit INTEGER,
  spend REAL NOT NULL DEFAULT 0,
  created_us INTEGER NOT NULL,
  updated_us INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS users_created ON users (created_us);
CREATE INDEX IF NOT EXISTS users_email ON users (user_email);
-- /user/new looks the e-mail up ignoring case; without this every create scanned every user,
-- which made provisioning 100,000 users quadratic in the simulator.
CREATE INDEX IF NOT EXISTS users_email_ci ON users (lower(user_email));
CREATE TABLE IF NOT EXISTS keys (
  token TEXT PRIMARY KEY,
  key_name TEXT,
  key_alias TEXT,
  user_id TEXT,
  team_id TEXT,
  blocked INTEGER,
  metadata TEXT NOT NULL DEFAULT '{}',
  models TEXT NOT NULL DEFAULT '[]',
  max_budget REAL,
  tpm_limit INTEGER,
  rpm_limit INTEGER,
  budget_duration TEXT,
  expires TEXT,
  spend REAL NOT NULL DEFAULT 0,
  created_by TEXT,
  created_us INTEGER NOT NULL,
  updated_us INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS keys_user ON keys (user_id);
CREATE INDEX IF NOT EXISTS keys_team ON keys (team_id);
CREATE INDEX IF NOT EXISTS keys_alias ON keys (key_alias);
CREATE INDEX IF NOT EXISTS keys_created ON keys (created_us);
CREATE TABLE IF NOT EXISTS writes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  method TEXT NOT NULL,
  path TEXT NOT NULL,
  body TEXT,
  status INTEGER NOT NULL,
  at TEXT NOT NULL
);
`;

/** The open database plus the helpers every store module uses. */
export type SimDb = {
  readonly raw: Database.Database;
  /** A prepared statement, cached per SQL text. */
  stmt(sql: string): Database.Statement;
  /** Runs `fn` in one transaction; a throw rolls everything back. */
  transaction<T>(fn: () => T): T;
  /** Now, in microseconds, strictly greater than any earlier value. */
  tick(): number;
  /** Deletes every row of every table. */
  clear(): void;
  close(): void;
};

/** Formats a microsecond timestamp the way LiteLLM's JSON shows datetimes. */
export function formatTimestamp(micros: number): string {
  const iso = new Date(Math.floor(micros / 1000)).toISOString(); // 2025-01-01T00:00:00.123Z
  const fraction = String(micros % 1_000_000).padStart(6, '0');
  return `${iso.slice(0, 19)}.${fraction}Z`;
}

/** Opens (and migrates) the simulator database at `path` (`':memory:'` for a throwaway one). */
export function openSimDb(path: string): SimDb {
  const raw = new Database(path);
  raw.pragma('journal_mode = WAL');
  raw.exec(SCHEMA);
  const cache = new Map<string, Database.Statement>();
  const stmt = (sql: string) => {
    let s = cache.get(sql);
    if (s === undefined) {
      s = raw.prepare(sql);
      cache.set(sql, s);
    }
    return s;
  };
  // Continue after the newest stored timestamp so a reopened file keeps its order.
  const newest = raw
    .prepare(
      `SELECT MAX(m) AS m FROM (SELECT MAX(created_us) AS m FROM teams
       UNION ALL SELECT MAX(created_us) FROM users UNION ALL SELECT MAX(created_us) FROM keys)`,
    )
    .get() as { m: number | null };
  let last = newest.m ?? 0;
  return {
    raw,
    stmt,
    transaction: fn => raw.transaction(fn)(),
    tick() {
      last = Math.max(Date.now() * 1000, last + 1);
      return last;
    },
    clear() {
      raw.exec(
        `DELETE FROM teams; DELETE FROM users; DELETE FROM keys; DELETE FROM writes;
         DELETE FROM sqlite_sequence WHERE name = 'writes';`,
      );
    },
    close: () => raw.close(),
  };
}
