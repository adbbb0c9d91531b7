/**
 * Virtual key table access. Keys are addressed by `token`, the sha256 hex of the plaintext.
 */
import { formatTimestamp, type SimDb } from '../db.js';
import type { SimKey } from '../types.js';
import {
  createWhere,
  inJsonArray,
  pageOrder,
  parseJson,
  selectPage,
  type SortDir,
  type StoredRow,
} from './sql.js';

type KeyRow = StoredRow<SimKey, 'metadata' | 'models', 'blocked'>;

/** Columns of a new key. */
export type KeyFields = Omit<SimKey, 'token' | 'created_at' | 'updated_at'>;

/** Filters of `/key/list`. UI session keys (`litellm-dashboard`) are always left out. */
export type KeyFilter = {
  userId?: string | undefined;
  teamId?: string | undefined;
  keyAlias?: string | undefined;
  token?: string | undefined;
};

/** Sortable columns of `/key/list` that the simulator stores. */
export type KeySortColumn =
  'spend' | 'max_budget' | 'created_us' | 'updated_us' | 'token' | 'key_alias';

/** LiteLLM's team id for UI session tokens. */
export const UI_SESSION_TEAM_ID = 'litellm-dashboard';

function toKey(r: KeyRow): SimKey {
  return {
    token: r.token,
    key_name: r.key_name,
    key_alias: r.key_alias,
    user_id: r.user_id,
    team_id: r.team_id,
    blocked: r.blocked === null ? null : r.blocked === 1,
    metadata: parseJson<Record<string, unknown>>(r.metadata, {}),
    models: parseJson<string[]>(r.models, []),
    max_budget: r.max_budget,
    tpm_limit: r.tpm_limit,
    rpm_limit: r.rpm_limit,
    budget_duration: r.budget_duration,
    expires: r.expires,
    spend: r.spend,
    created_by: r.created_by,
    created_at: formatTimestamp(r.created_us),
    updated_at: formatTimestamp(r.updated_us),
  };
}

/** One key by hash, or `undefined`. */
export function getKey(db: SimDb, token: string): SimKey | undefined {
  const row = db.stmt('SELECT * FROM keys WHERE token = ?').get(token) as KeyRow | undefined;
  return row ? toKey(row) : undefined;
}

/** Stores a new key. Throws SQLite's constraint error when the token exists. */
export function insertKey(db: SimDb, token: string, f: KeyFields): SimKey {
  const now = db.tick();
  db.stmt(
    `INSERT INTO keys (token, key_name, key_alias, user_id, team_id, blocked, metadata, models,
       max_budget, tpm_limit, rpm_limit, budget_duration, expires, spend, created_by,
       created_us, updated_us)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    token,
    f.key_name,
    f.key_alias,
    f.user_id,
    f.team_id,
    f.blocked === null ? null : f.blocked ? 1 : 0,
    JSON.stringify(f.metadata),
    JSON.stringify(f.models),
    f.max_budget,
    f.tpm_limit,
    f.rpm_limit,
    f.budget_duration,
    f.expires,
    f.spend,
    f.created_by,
    now,
    now,
  );
  return getKey(db, token) as SimKey;
}

/** Sets `blocked`; returns the updated key or `undefined` when there is none. */
export function setKeyBlocked(db: SimDb, token: string, blocked: boolean): SimKey | undefined {
  db.stmt('UPDATE keys SET blocked = ?, updated_us = ? WHERE token = ?').run(
    blocked ? 1 : 0,
    db.tick(),
    token,
  );
  return getKey(db, token);
}

/** The first key with this alias, if any. */
export function keyByAlias(db: SimDb, alias: string): SimKey | undefined {
  const row = db.stmt('SELECT * FROM keys WHERE key_alias = ? LIMIT 1').get(alias) as
    KeyRow | undefined;
  return row ? toKey(row) : undefined;
}

/** Keys whose token is in `tokens` or whose alias is in `aliases`. */
export function keysByTokensOrAliases(
  db: SimDb,
  column: 'token' | 'key_alias',
  values: readonly string[],
): SimKey[] {
  const sql = `SELECT * FROM keys WHERE ${inJsonArray(column)} ORDER BY created_us, rowid`;
  return (db.stmt(sql).all(JSON.stringify(values)) as KeyRow[]).map(toKey);
}

/** Keys owned by a user or a team, in creation order. */
export function keysOf(db: SimDb, column: 'user_id' | 'team_id', id: string): SimKey[] {
  const sql = `SELECT * FROM keys WHERE ${column} = ? ORDER BY created_us, rowid`;
  return (db.stmt(sql).all(id) as KeyRow[]).map(toKey);
}

/** Every key in creation order. */
export function allKeys(db: SimDb): SimKey[] {
  return (db.stmt('SELECT * FROM keys ORDER BY created_us, rowid').all() as KeyRow[]).map(toKey);
}

/** Deletes keys by token. */
export function deleteKeysByTokens(db: SimDb, tokens: readonly string[]): number {
  return db.stmt(`DELETE FROM keys WHERE ${inJsonArray('token')}`).run(JSON.stringify(tokens))
    .changes;
}

/** Deletes every key whose `column` is one of `ids` (and, if given, whose team is `teamId`). */
export function deleteKeysOwnedBy(
  db: SimDb,
  column: 'user_id' | 'team_id',
  ids: readonly string[],
  teamId?: string,
): number {
  const extra = teamId === undefined ? '' : ' AND team_id = ?';
  const params: unknown[] = [JSON.stringify(ids), ...(teamId === undefined ? [] : [teamId])];
  return db.stmt(`DELETE FROM keys WHERE ${inJsonArray(column)}${extra}`).run(...params).changes;
}

/** Keys of a user that are not UI session keys (`key_count` of `/user/list`). */
export function countUserKeys(db: SimDb, userId: string): number {
  const sql =
    'SELECT COUNT(*) AS n FROM keys WHERE user_id = ? AND (team_id IS NULL OR team_id != ?)';
  return (db.stmt(sql).get(userId, UI_SESSION_TEAM_ID) as { n: number }).n;
}

/** One page of keys plus the total, newest first unless `order` says otherwise. */
export function pageKeys(
  db: SimDb,
  filter: KeyFilter,
  order: { column: KeySortColumn; dir: SortDir } | undefined,
  limit: number,
  offset: number,
): { keys: SimKey[]; total: number } {
  const where = createWhere();
  where.add('(team_id IS NULL OR team_id != ?)', UI_SESSION_TEAM_ID);
  where.addIfSet(filter.userId, 'user_id = ?');
  where.addIfSet(filter.teamId, 'team_id = ?');
  where.addIfSet(filter.keyAlias, 'key_alias = ?');
  where.addIfSet(filter.token, 'token = ?');
  // LiteLLM's default: `[{"created_at": "desc"}, {"token": "desc"}]`.
  const orderBy = order ? pageOrder(order.column, order.dir) : 'created_us DESC, token DESC';
  const { rows, total } = selectPage<KeyRow>(db, 'keys', where, orderBy, { limit, offset });
  return { keys: rows.map(toKey), total };
}
