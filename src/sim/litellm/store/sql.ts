/**
 * Small SQL helpers shared by the store modules: JSON columns, Postgres-like ordering, a
 * WHERE-clause builder, paged selects and partial updates.
 */
import type { SimDb } from '../db.js';

/** Sort direction as LiteLLM's `sort_order` names it. */
export type SortDir = 'asc' | 'desc';

/** Parses a JSON column, falling back when it is NULL. */
export function parseJson<T>(text: string | null, fallback: T): T {
  return text === null ? fallback : (JSON.parse(text) as T);
}

/**
 * `ORDER BY` term with Postgres' NULL placement (NULLS LAST ascending, NULLS FIRST descending),
 * because LiteLLM runs on Postgres while the simulator runs on SQLite.
 */
export function orderTerm(column: string, dir: SortDir): string {
  const d = dir === 'asc' ? 'ASC' : 'DESC';
  return `(${column} IS NULL) ${d}, ${column} ${d}`;
}

/**
 * How a stored object sits in its SQLite row: the `Json` fields as JSON text, the `Flags`
 * booleans as 0/1 integers (each keeping a `null` the field allows), and `created_at` /
 * `updated_at` as the microsecond columns `created_us` / `updated_us`.
 */
export type StoredRow<T, Json extends keyof T, Flags extends keyof T = never> = Omit<
  T,
  Json | Flags | 'created_at' | 'updated_at'
> & { [K in Json]: string | (null extends T[K] ? null : never) } & {
  [K in Flags]: number | (null extends T[K] ? null : never);
} & { created_us: number; updated_us: number };

/** Accumulates `AND`-ed conditions and their parameters. */
export type Where = {
  add(condition: string, ...params: unknown[]): void;
  /**
   * Adds `condition` with `encode(value)` as its one parameter, unless `value` is undefined
   * (a filter the request did not give).
   */
  addIfSet<T>(value: T | undefined, condition: string, encode?: (value: T) => unknown): void;
  /** `WHERE …` or an empty string. */
  sql(): string;
  params(): unknown[];
};

/** Starts an empty WHERE clause. */
export function createWhere(): Where {
  const conditions: string[] = [];
  const values: unknown[] = [];
  const add = (condition: string, ...params: unknown[]): void => {
    conditions.push(condition);
    values.push(...params);
  };
  return {
    add,
    addIfSet(value, condition, encode = v => v) {
      if (value !== undefined) {
        add(condition, encode(value));
      }
    },
    sql: () => (conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''),
    params: () => values,
  };
}

/** Case-insensitive substring match, like Prisma's `contains` with `mode: "insensitive"`. */
export function containsCi(column: string): string {
  return `instr(lower(${column}), lower(?)) > 0`;
}

/** The column value is one of the JSON array passed as the parameter (see {@link jsonParam}). */
export function inJsonArray(column: string): string {
  return `${column} IN (SELECT value FROM json_each(?))`;
}

/** A list as the JSON text parameter of {@link inJsonArray}. */
export function jsonParam(values: readonly string[]): string {
  return JSON.stringify(values);
}

/**
 * `ORDER BY` terms for a page: `column` with Postgres' NULL placement, then `rowid` as tie-break.
 * The table's primary key (`keyColumn`, never NULL, unique) needs neither, and ordering by it
 * alone lets SQLite walk its index instead of sorting the whole table for every page (at 100,000
 * users that made each `/user/list` page ~0.2 s).
 */
export function pageOrder(column: string, dir: SortDir, keyColumn?: string): string {
  const d = dir.toUpperCase();
  return column === keyColumn ? `${column} ${d}` : `${orderTerm(column, dir)}, rowid ${d}`;
}

/**
 * One page of `table`'s rows matching `where` in `orderBy` order, and how many rows match in
 * all (LiteLLM's paged lists report the total beside the page).
 */
export function selectPage<Row>(
  db: SimDb,
  table: string,
  where: Where,
  orderBy: string,
  page: { limit: number; offset: number },
): { rows: Row[]; total: number } {
  const rows = db
    .stmt(`SELECT * FROM ${table} ${where.sql()} ORDER BY ${orderBy} LIMIT ? OFFSET ?`)
    .all(...where.params(), page.limit, page.offset) as Row[];
  const count = db.stmt(`SELECT COUNT(*) AS n FROM ${table} ${where.sql()}`).get(...where.params());
  return { rows, total: (count as { n: number }).n };
}

/**
 * Writes only the columns `patch` sets (LiteLLM's `exclude_unset` updates), each through
 * `toColumn`, and bumps `updated_us`, on the row whose `key.column` is `key.value`.
 */
export function updateColumns<Fields extends object>(
  db: SimDb,
  table: string,
  key: { column: string; value: string },
  patch: Partial<Fields>,
  toColumn: (name: string, value: unknown) => unknown,
): void {
  const names = (Object.keys(patch) as (keyof Fields & string)[]).filter(
    n => patch[n] !== undefined,
  );
  const sets = [...names.map(n => `${n} = ?`), 'updated_us = ?'].join(', ');
  db.stmt(`UPDATE ${table} SET ${sets} WHERE ${key.column} = ?`).run(
    ...names.map(n => toColumn(n, patch[n])),
    db.tick(),
    key.value,
  );
}
