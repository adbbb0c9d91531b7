-- The audit log (issue 7): one row per operation a run applied (or tried to), with what LiteLLM
-- had for the object before the write (from the state the run read) and what the operation set.
-- Kept for AUDIT_RETENTION; pruned at the start of each full run. No foreign key to `runs`, so
-- the log outlives any cleanup of the run log.
CREATE TABLE audit_log (
  id       INTEGER PRIMARY KEY AUTOINCREMENT,
  at       INTEGER NOT NULL, -- ms since the epoch
  run_id   TEXT NOT NULL,
  source   TEXT NOT NULL,
  trigger  TEXT NOT NULL,
  actor    TEXT,
  seq      INTEGER NOT NULL,
  kind     TEXT NOT NULL,
  subject  TEXT NOT NULL,
  -- The users the operation touched, ids and known e-mails, one per line with a leading and a
  -- trailing newline, so `--user` is one instr(users, '\nname\n').
  users    TEXT NOT NULL,
  status   TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
  before   TEXT,
  after    TEXT,
  error    TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_run ON audit_log (run_id);
