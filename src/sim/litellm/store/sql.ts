/**
 * Small SQL helpers shared by the store modules: JSON columns, Postgres-like ordering and a
 * WHERE-clause builder.
 */

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

/** Accumulates `AND`-ed conditions and their parameters. */
export type Where = {
  add(condition: string, ...params: unknown[]): void;
  /** `WHERE …` or an empty string. */
  sql(): string;
  params(): unknown[];
};

/** Starts an empty WHERE clause. */
export function createWhere(): Where {
  const conditions: string[] = [];
  const values: unknown[] = [];
  return {
    add(condition, ...params) {
      conditions.push(condition);
      values.push(...params);
    },
    sql: () => (conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''),
    params: () => values,
  };
}

/** Case-insensitive substring match, like Prisma's `contains` with `mode: "insensitive"`. */
export function containsCi(column: string): string {
  return `instr(lower(${column}), lower(?)) > 0`;
}

/** The column value is one of the JSON array passed as the parameter. */
export function inJsonArray(column: string): string {
  return `${column} IN (SELECT value FROM json_each(?))`;
}
