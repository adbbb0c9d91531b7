/**
 * Team table access. Membership lives in the row's `members_with_roles` JSON, as in LiteLLM.
 */
import { formatTimestamp, type SimDb } from '../db.js';
import type { SimMember, SimTeam } from '../types.js';
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

type TeamRow = StoredRow<SimTeam, 'metadata' | 'members_with_roles' | 'models', 'blocked'>;

/** The columns a create or an update may set. */
export type TeamFields = Omit<SimTeam, 'team_id' | 'spend' | 'created_at' | 'updated_at'>;

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
  updateColumns(db, 'teams', { column: 'team_id', value: teamId }, patch, toColumn);
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
  where.addIfSet(filter.teamId, 'team_id = ?');
  where.addIfSet(filter.aliasContains, containsCi('team_alias'));
  where.addIfSet(filter.organizationId, 'organization_id = ?');
  where.addIfSet(filter.teamIdIn, inJsonArray('team_id'), jsonParam);
  const orderBy = pageOrder(order.column, order.dir, 'team_id');
  const { rows, total } = selectPage<TeamRow>(db, 'teams', where, orderBy, { limit, offset });
  return { teams: rows.map(toTeam), total };
}
