-- Per-source private state: delta links, watermarks and the mirror a source keeps so that an
-- incremental read can still hand the planner a full snapshot.
CREATE TABLE source_state (
  source     TEXT NOT NULL,
  key        TEXT NOT NULL,
  value      TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (source, key)
);
