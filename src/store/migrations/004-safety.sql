-- Safety state (issue 7): quarantined plans awaiting an operator, users whose deprovisioning is
-- staged (keys blocked, deletion after a grace period), the keys this worker blocked, and how many
-- consecutive complete snapshots a managed user has been missing from.

-- One row per quarantined full run. Its operations are the run's rows in `operations`.
CREATE TABLE quarantines (
  run_id      TEXT PRIMARY KEY REFERENCES runs (run_id),
  source      TEXT NOT NULL,
  reason      TEXT NOT NULL,
  state       TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'rejected', 'superseded')),
  created_at  TEXT NOT NULL,
  decided_by  TEXT,
  decided_at  TEXT,
  -- The run that applied an approved plan, or why an approval was refused last.
  applied_run TEXT,
  note        TEXT
);
CREATE INDEX quarantines_source ON quarantines (source, state);

-- Managed users deprovisioned in block mode: their keys are blocked, deletion waits until
-- `delete_after` (ms since the epoch).
CREATE TABLE suspended_users (
  user_id      TEXT PRIMARY KEY,
  source       TEXT NOT NULL,
  external_id  TEXT NOT NULL,
  reason       TEXT NOT NULL,
  run_id       TEXT,
  suspended_at INTEGER NOT NULL,
  delete_after INTEGER NOT NULL
);
CREATE INDEX suspended_users_source ON suspended_users (source);

-- Keys this worker blocked (written before the block: write-ahead). Only these are ever
-- unblocked; a key someone else blocked is never listed here.
CREATE TABLE blocked_keys (
  token      TEXT PRIMARY KEY,
  user_id    TEXT NOT NULL,
  run_id     TEXT,
  blocked_at INTEGER NOT NULL
);
CREATE INDEX blocked_keys_user ON blocked_keys (user_id);

-- Consecutive complete snapshots a managed user was missing from (reset when seen again).
CREATE TABLE absences (
  source      TEXT NOT NULL,
  external_id TEXT NOT NULL,
  count       INTEGER NOT NULL,
  first_run   TEXT,
  last_run    TEXT,
  PRIMARY KEY (source, external_id)
);
