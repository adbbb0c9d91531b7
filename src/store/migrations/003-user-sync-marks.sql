-- When the last per-user sync (login hook, `resync --user`) of each IdP user read the IdP, and
-- until when it may have been writing to LiteLLM. A full run whose IdP read began before that
-- leaves the user alone: the per-user sync saw fresher data (reconcile/plan-interleave.ts).
CREATE TABLE user_sync_marks (
  source       TEXT NOT NULL,
  external_id  TEXT NOT NULL,
  read_at      INTEGER NOT NULL,
  writes_until INTEGER NOT NULL CHECK (writes_until >= read_at),
  PRIMARY KEY (source, external_id)
);
CREATE INDEX user_sync_marks_recent ON user_sync_marks (source, writes_until);
