-- Objects this worker created or adopted in LiteLLM, per source. Only these are ever changed
-- or removed by it; everything else in LiteLLM is out of its reach.
CREATE TABLE managed_teams (
  team_id     TEXT PRIMARY KEY,
  source      TEXT NOT NULL,
  external_id TEXT NOT NULL,
  alias       TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);
CREATE INDEX managed_teams_source ON managed_teams (source);

CREATE TABLE managed_users (
  user_id     TEXT PRIMARY KEY,
  source      TEXT NOT NULL,
  external_id TEXT NOT NULL,
  email       TEXT,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);
CREATE INDEX managed_users_source ON managed_users (source, external_id);

-- Team memberships this worker added. A grant is written before the membership is added
-- (write-ahead), so a crash between the two never leaves a membership it cannot later remove.
CREATE TABLE grants (
  team_id    TEXT NOT NULL,
  user_id    TEXT NOT NULL,
  source     TEXT NOT NULL,
  role       TEXT NOT NULL,
  run_id     TEXT,
  created_at TEXT NOT NULL,
  PRIMARY KEY (team_id, user_id)
);
CREATE INDEX grants_source ON grants (source);
CREATE INDEX grants_user ON grants (user_id);

CREATE TABLE runs (
  run_id      TEXT PRIMARY KEY,
  source      TEXT NOT NULL,
  kind        TEXT NOT NULL,
  trigger     TEXT NOT NULL,
  subject     TEXT,
  dry_run     INTEGER NOT NULL,
  status      TEXT NOT NULL,
  started_at  TEXT NOT NULL,
  finished_at TEXT,
  summary     TEXT,
  error       TEXT
);
CREATE INDEX runs_started ON runs (started_at);

-- One row per planned operation and its outcome.
CREATE TABLE operations (
  run_id      TEXT NOT NULL REFERENCES runs (run_id),
  seq         INTEGER NOT NULL,
  kind        TEXT NOT NULL,
  subject     TEXT NOT NULL,
  payload     TEXT NOT NULL,
  status      TEXT NOT NULL,
  detail      TEXT,
  error       TEXT,
  finished_at TEXT,
  PRIMARY KEY (run_id, seq)
);

-- One live full run per source: a lease with the holder's host and pid, so that a crashed
-- holder's lease can be taken over at once instead of waiting for it to expire.
CREATE TABLE run_locks (
  source     TEXT PRIMARY KEY,
  run_id     TEXT NOT NULL,
  host       TEXT NOT NULL,
  pid        INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
