/**
 * The write log: one row per successful state-changing request, written in the same transaction
 * as the change itself, so tests can spot duplicated or lost operations.
 */
import { formatTimestamp, type SimDb } from '../db.js';
import type { SimWrite } from '../types.js';

type WriteRow = {
  seq: number;
  method: string;
  path: string;
  body: string | null;
  status: number;
  at: string;
};

function toWrite(r: WriteRow): SimWrite {
  return {
    seq: r.seq,
    method: r.method,
    path: r.path,
    body: r.body === null ? null : (JSON.parse(r.body) as unknown),
    status: r.status,
    at: r.at,
  };
}

/** Appends one entry and returns it with its sequence number. */
export function appendWrite(
  db: SimDb,
  entry: { method: string; path: string; body: unknown; status: number },
): SimWrite {
  const body = entry.body === undefined ? null : JSON.stringify(entry.body);
  const at = formatTimestamp(db.tick());
  const info = db
    .stmt('INSERT INTO writes (method, path, body, status, at) VALUES (?, ?, ?, ?, ?)')
    .run(entry.method, entry.path, body, entry.status, at);
  const row = db.stmt('SELECT * FROM writes WHERE seq = ?').get(info.lastInsertRowid) as WriteRow;
  return toWrite(row);
}

/** The whole log, oldest first. */
export function listWrites(db: SimDb): SimWrite[] {
  return (db.stmt('SELECT * FROM writes ORDER BY seq').all() as WriteRow[]).map(toWrite);
}

/** How many writes are logged. */
export function countWrites(db: SimDb): number {
  return (db.stmt('SELECT COUNT(*) AS n FROM writes').get() as { n: number }).n;
}
