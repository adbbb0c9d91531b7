/**
 * User table access. `teams` is the user's side of the twice-stored membership.
 */
import { formatTimestamp, type SimDb } from '../db.js';
import type { SimUser } from '../types.js';
import {
  containsCi,
  createWhere,
  inJsonArray,
  jsonParam,
  pageOrder,
  parseJson,
  selectPage,
  updateColumns,
  type SortDir,
  type StoredRow,
} from './sql.js';

type UserRow = StoredRow<SimUser, 'teams' | 'metadata' | 'models'>;

/** Columns a create or update may set. */
export type UserFields = Omit<SimUser, 'user_id' | 'created_at' | 'updated_at'>;

/** Filters of `/user/list`. */
export type UserFilter = {
  role?: string | undefined;
  userIdContains?: string | undefined;
  userIdIn?: string[] | undefined;
  ssoIn?: string[] | undefined;
  emailContains?: string | undefined;
  team?: string | undefined;
};

/** Sortable columns of `/user/list`. */
export type UserSortColumn =
  'user_id' | 'user_email' | 'created_us' | 'spend' | 'user_alias' | 'user_role';

const JSON_FIELDS = new Set(['teams', 'metadata', 'models']);

/** Defaults of a new row (Prisma schema defaults). */
export const EMPTY_USER: UserFields = {
  user_email: null,
  user_alias: null,
  sso_user_id: null,
  user_role: null,
  teams: [],
  metadata: {},
  models: [],
  max_budget: null,
  budget_duration: null,
  tpm_limit: null,
  rpm_limit: null,
  spend: 0,
};

function toUser(r: UserRow): SimUser {
  return {
    user_id: r.user_id,
    user_email: r.user_email,
    user_alias: r.user_alias,
    sso_user_id: r.sso_user_id,
    user_role: r.user_role,
    teams: parseJson<string[]>(r.teams, []),
    metadata: parseJson<Record<string, unknown>>(r.metadata, {}),
    models: parseJson<string[]>(r.models, []),
    max_budget: r.max_budget,
    budget_duration: r.budget_duration,
    tpm_limit: r.tpm_limit,
    rpm_limit: r.rpm_limit,
    spend: r.spend,
    created_at: formatTimestamp(r.created_us),
    updated_at: formatTimestamp(r.updated_us),
  };
}

function toColumn(name: string, value: unknown): unknown {
  return JSON_FIELDS.has(name) ? JSON.stringify(value ?? (name === 'metadata' ? {} : [])) : value;
}

/** One user, or `undefined`. */
export function getUser(db: SimDb, userId: string): SimUser | undefined {
  const row = db.stmt('SELECT * FROM users WHERE user_id = ?').get(userId) as UserRow | undefined;
  return row ? toUser(row) : undefined;
}

/** Users whose `user_email` equals `email` exactly (Prisma's default, case-sensitive). */
export function usersByEmail(db: SimDb, email: string): SimUser[] {
  const sql = 'SELECT * FROM users WHERE user_email = ? ORDER BY created_us, rowid';
  return (db.stmt(sql).all(email) as UserRow[]).map(toUser);
}

/** The first user whose e-mail equals `email` ignoring case (`mode: "insensitive"`). */
export function firstUserByEmailCi(db: SimDb, email: string): SimUser | undefined {
  const sql = 'SELECT * FROM users WHERE lower(user_email) = lower(?) ORDER BY created_us LIMIT 1';
  const row = db.stmt(sql).get(email) as UserRow | undefined;
  return row ? toUser(row) : undefined;
}

/** Creates a user. Throws SQLite's constraint error on a duplicate id or `sso_user_id`. */
export function insertUser(db: SimDb, userId: string, fields: Partial<UserFields>): SimUser {
  const row = { ...EMPTY_USER, ...fields };
  const names = Object.keys(row) as (keyof UserFields)[];
  const now = db.tick();
  db.stmt(
    `INSERT INTO users (user_id, ${names.join(', ')}, created_us, updated_us)
     VALUES (?, ${names.map(() => '?').join(', ')}, ?, ?)`,
  ).run(userId, ...names.map(n => toColumn(n, row[n])), now, now);
  return getUser(db, userId) as SimUser;
}

/** Writes only the given columns and bumps `updated_at`. */
export function updateUser(db: SimDb, userId: string, patch: Partial<UserFields>): SimUser {
  updateColumns(db, 'users', { column: 'user_id', value: userId }, patch, toColumn);
  return getUser(db, userId) as SimUser;
}

/** Deletes users by id; returns how many rows went (Prisma `delete_many` count). */
export function deleteUsers(db: SimDb, userIds: readonly string[]): number {
  const sql = `DELETE FROM users WHERE ${inJsonArray('user_id')}`;
  return db.stmt(sql).run(JSON.stringify(userIds)).changes;
}

/** Every user in creation order. */
export function allUsers(db: SimDb): SimUser[] {
  const rows = db.stmt('SELECT * FROM users ORDER BY created_us, rowid').all() as UserRow[];
  return rows.map(toUser);
}

/** One page of users plus the total matching `filter`. */
export function pageUsers(
  db: SimDb,
  filter: UserFilter,
  order: { column: UserSortColumn; dir: SortDir },
  limit: number,
  offset: number,
): { users: SimUser[]; total: number } {
  const where = createWhere();
  where.addIfSet(filter.role, 'user_role = ?');
  where.addIfSet(filter.userIdContains, containsCi('user_id'));
  where.addIfSet(filter.userIdIn, inJsonArray('user_id'), jsonParam);
  where.addIfSet(filter.emailContains, containsCi('user_email'));
  where.addIfSet(filter.team, 'EXISTS (SELECT 1 FROM json_each(users.teams) WHERE value = ?)');
  where.addIfSet(filter.ssoIn, inJsonArray('sso_user_id'), jsonParam);
  const orderBy = pageOrder(order.column, order.dir, 'user_id');
  const { rows, total } = selectPage<UserRow>(db, 'users', where, orderBy, { limit, offset });
  return { users: rows.map(toUser), total };
}
