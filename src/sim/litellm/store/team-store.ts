/**
 * Team table access. Membership lives in the row's `members_with_roles` JSON, as in LiteLLM.
 */
import { formatTimestamp, type SimDb } from '../db.js';
import type { SimMember, SimTeam } from '../types.js';
import { containsCi, createWhere, inJsonArray, orderTerm, parseJson, type SortDir } from './sql.js';

type TeamRow = {
  team_id: string;
  team_alias: string | null;
  organization_id: string | null;
  metadata: string | null;
  members_with_roles: string;
  models: string;
  blocked: number;
  max_budget: number | null;
  budget_duration: string | null;
  tpm_limit: number | null;
  rpm_limit: number | null;
  spend: number;
  created_us: number;
  updated_us: number;
};

/** The columns a create or an update may set. */
export type TeamFields = {
  team_alias: string | null;
  organization_id: string | null;
  metadata: Record<string, unknown> | null;
  members_with_roles: SimMember[];
  models: string[];
  blocked: boolean;
  max_budget: number | null;
  budget_duration: string | null;
  tpm_limit: number | null;
  rpm_limit: number | null;
};

/** Filters of `/v2/team/list`. */
export type TeamFilter = {
  teamId?: string | undefined;
  aliasContains?: string | undefined;
  organizationId?: string | undefined;
  teamIdIn?: string[] | undefined;
};

const JSON_FIELDS = new Set(['metadata', 'members_with_roles', 'models']);

function toTeam(r: TeamRow): SimTeam {
  return {
    team_id: r.team_id,
    team_alias: r.team_alias,
    organization_id: r.organization_id,
    metadata: parseJson<Record<string, unknown> | null>(r.metadata, null),
    members_with_roles: parseJson<SimMember[]>(r.members_with_roles, []),
    models: parseJson<string[]>(r.models, []),
    blocked: r.blocked === 1,
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
  if (JSON_FIELDS.has(name)) {
    return value === null ? null : JSON.stringify(value);
  }
  return typeof value === 'boolean' ? (value ? 1 : 0) : value;
}

/** One team, or `undefined`. */
export function getTeam(db: SimDb, teamId: string): SimTeam | undefined {
  const row = db.stmt('SELECT * FROM teams WHERE team_id = ?').get(teamId) as TeamRow | undefined;
  return row ? toTeam(row) : undefined;
}

/** Creates a team; the caller has checked that `teamId` is free. */
export function insertTeam(db: SimDb, teamId: string, fields: TeamFields): SimTeam {
  const now = db.tick();
  db.stmt(
    `INSERT INTO teams (team_id, team_alias, organization_id, metadata, members_with_roles, models,
       blocked, max_budget, budget_duration, tpm_limit, rpm_limit, created_us, updated_us)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    teamId,
    fields.team_alias,
    fields.organization_id,
    toColumn('metadata', fields.metadata),
    toColumn('members_with_roles', fields.members_with_roles),
    toColumn('models', fields.models),
    toColumn('blocked', fields.blocked),
    fields.max_budget,
    fields.budget_duration,
    fields.tpm_limit,
    fields.rpm_limit,
    now,
    now,
  );
  return getTeam(db, teamId) as SimTeam;
}

/** Writes only the given columns (LiteLLM's `exclude_unset` updates) and bumps `updated_at`. */
export function updateTeam(db: SimDb, teamId: string, patch: Partial<TeamFields>): SimTeam {
  const names = Object.keys(patch).filter(n => patch[n as keyof TeamFields] !== undefined);
  const sets = [...names.map(n => `${n} = ?`), 'updated_us = ?'].join(', ');
  const values = names.map(n => toColumn(n, patch[n as keyof TeamFields]));
  db.stmt(`UPDATE teams SET ${sets} WHERE team_id = ?`).run(...values, db.tick(), teamId);
  return getTeam(db, teamId) as SimTeam;
}

/** Deletes teams by id. */
export function deleteTeams(db: SimDb, teamIds: readonly string[]): void {
  db.stmt(`DELETE FROM teams WHERE ${inJsonArray('team_id')}`).run(JSON.stringify(teamIds));
}

/** Every team in creation order (Postgres heap order for an unordered `find_many`). */
export function allTeams(db: SimDb): SimTeam[] {
  const rows = db.stmt('SELECT * FROM teams ORDER BY created_us, rowid').all() as TeamRow[];
  return rows.map(toTeam);
}

/** Teams with these ids, in creation order. */
export function teamsByIds(db: SimDb, teamIds: readonly string[]): SimTeam[] {
  const sql = `SELECT * FROM teams WHERE ${inJsonArray('team_id')} ORDER BY created_us, rowid`;
  return (db.stmt(sql).all(JSON.stringify(teamIds)) as TeamRow[]).map(toTeam);
}

/** One page of teams plus the total matching `filter`. */
export function pageTeams(
  db: SimDb,
  filter: TeamFilter,
  order: { column: 'team_id' | 'team_alias' | 'created_us'; dir: SortDir },
  limit: number,
  offset: number,
): { teams: SimTeam[]; total: number } {
  const where = createWhere();
  if (filter.teamId !== undefined) {
    where.add('team_id = ?', filter.teamId);
  }
  if (filter.aliasContains !== undefined) {
    where.add(containsCi('team_alias'), filter.aliasContains);
  }
  if (filter.organizationId !== undefined) {
    where.add('organization_id = ?', filter.organizationId);
  }
  if (filter.teamIdIn !== undefined) {
    where.add(inJsonArray('team_id'), JSON.stringify(filter.teamIdIn));
  }
  const orderBy = `${orderTerm(order.column, order.dir)}, rowid ${order.dir.toUpperCase()}`;
  const rows = db
    .stmt(`SELECT * FROM teams ${where.sql()} ORDER BY ${orderBy} LIMIT ? OFFSET ?`)
    .all(...where.params(), limit, offset) as TeamRow[];
  const count = db.stmt(`SELECT COUNT(*) AS n FROM teams ${where.sql()}`).get(...where.params());
  return { teams: rows.map(toTeam), total: (count as { n: number }).n };
}
