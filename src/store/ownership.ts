import type { Database } from 'better-sqlite3';

import { createInterner, type Interner } from '../intern.js';
import { createGrantMap } from './grant-map.js';
import type { Grant, ManagedTeam, ManagedUser, Ownership, Store } from './types.js';

type TeamRow = { team_id: string; source: string; external_id: string; alias: string };
type UserRow = { user_id: string; source: string; external_id: string; email: string | null };
type GrantRow = { team_id: string; user_id: string; source: string; role: string };

/** Queries over managed teams, managed users and grants. */
export function createOwnershipQueries(
  db: Database,
  now: () => Date,
): Pick<
  Store,
  | 'ownership'
  | 'userOwnership'
  | 'findManagedUser'
  | 'recordTeam'
  | 'forgetTeam'
  | 'recordUser'
  | 'forgetUser'
  | 'recordGrants'
  | 'forgetGrants'
> {
  const selectTeams = db.prepare(
    'SELECT team_id, source, external_id, alias FROM managed_teams WHERE source = ?',
  );
  const selectUsers = db.prepare(
    'SELECT user_id, source, external_id, email FROM managed_users WHERE source = ?',
  );
  const selectGrants = db.prepare(
    'SELECT team_id, user_id, source, role FROM grants WHERE source = ?',
  );
  const selectUsersByExternalId = db.prepare(
    'SELECT user_id, source, external_id, email FROM managed_users WHERE source = ? AND external_id = ?',
  );
  const selectGrantsOfUser = db.prepare(
    'SELECT team_id, user_id, source, role FROM grants WHERE source = ? AND user_id = ?',
  );
  const selectTeam = db.prepare(
    'SELECT team_id, source, external_id, alias FROM managed_teams WHERE source = ? AND team_id = ?',
  );
  const selectManagedBySubject = db.prepare(
    `SELECT user_id, source, external_id, email FROM managed_users
     WHERE source = ? AND (external_id = ? OR user_id = ? OR lower(email) = lower(trim(?))) LIMIT 1`,
  );
  const upsertTeam = db.prepare(
    `INSERT INTO managed_teams (team_id, source, external_id, alias, created_at, updated_at)
     VALUES (@teamId, @source, @externalId, @alias, @now, @now)
     ON CONFLICT (team_id) DO UPDATE SET source = excluded.source, external_id = excluded.external_id,
       alias = excluded.alias, updated_at = excluded.updated_at`,
  );
  const upsertUser = db.prepare(
    `INSERT INTO managed_users (user_id, source, external_id, email, created_at, updated_at)
     VALUES (@userId, @source, @externalId, @email, @now, @now)
     ON CONFLICT (user_id) DO UPDATE SET source = excluded.source, external_id = excluded.external_id,
       email = excluded.email, updated_at = excluded.updated_at`,
  );
  const insertGrant = db.prepare(
    `INSERT INTO grants (team_id, user_id, source, role, run_id, created_at)
     VALUES (@teamId, @userId, @source, @role, @runId, @now)
     ON CONFLICT (team_id, user_id) DO UPDATE SET role = excluded.role`,
  );
  const deleteGrant = db.prepare('DELETE FROM grants WHERE team_id = ? AND user_id = ?');
  // One transaction per call: an autocommit per grant (500,000 at L) was most of the engine's
  // CPU in apply (BENCHMARKS.md).
  const insertGrants = db.transaction((grants: readonly Grant[], runId: string, at: string) => {
    for (const grant of grants) {
      insertGrant.run({ ...grant, runId, now: at });
    }
  });
  const deleteGrants = db.transaction((teamId: string, userIds: readonly string[]) => {
    for (const userId of userIds) {
      deleteGrant.run(teamId, userId);
    }
  });
  const deleteUser = db.transaction((userId: string) => {
    db.prepare('DELETE FROM grants WHERE user_id = ?').run(userId);
    db.prepare('DELETE FROM blocked_keys WHERE user_id = ?').run(userId);
    db.prepare('DELETE FROM suspended_users WHERE user_id = ?').run(userId);
    db.prepare('DELETE FROM managed_users WHERE user_id = ?').run(userId);
  });

  return {
    ownership: (source): Ownership =>
      toOwnership(
        selectTeams.all(source) as TeamRow[],
        selectUsers.all(source) as UserRow[],
        // Streamed: at L an array of every grant row was ~60 MB of short-lived objects.
        selectGrants.iterate(source) as IterableIterator<GrantRow>,
      ),
    // A login sync touches one person: reading every managed row per login was the largest
    // cost of the login path (BENCHMARKS.md), so it reads only that person's rows.
    userOwnership: (source, externalId, teamIds): Ownership => {
      const users = selectUsersByExternalId.all(source, externalId) as UserRow[];
      const grants = users.flatMap(u => selectGrantsOfUser.all(source, u.user_id) as GrantRow[]);
      const wanted = [...new Set([...teamIds, ...grants.map(g => g.team_id)])];
      const teams = wanted.flatMap(id => selectTeam.all(source, id) as TeamRow[]);
      return toOwnership(teams, users, grants);
    },
    findManagedUser: (source, subject) => {
      const row = selectManagedBySubject.get(source, subject, subject, subject) as
        UserRow | undefined;
      return row === undefined ? undefined : toManagedUser(row);
    },
    recordTeam: team => {
      upsertTeam.run({ ...team, now: now().toISOString() });
    },
    forgetTeam: teamId => {
      db.prepare('DELETE FROM managed_teams WHERE team_id = ?').run(teamId);
    },
    recordUser: user => {
      upsertUser.run({ ...user, now: now().toISOString() });
    },
    forgetUser: userId => {
      deleteUser(userId);
    },
    recordGrants: (grants, runId) => {
      insertGrants(grants, runId, now().toISOString());
    },
    forgetGrants: (teamId, userIds) => {
      deleteGrants(teamId, userIds);
    },
  };
}

function toManagedUser(row: UserRow): ManagedUser {
  return { userId: row.user_id, source: row.source, externalId: row.external_id, email: row.email };
}

/**
 * Rows as the ownership maps. Every grant row repeats its team id, user id, source and role as
 * new strings; they are interned (one copy each), which at L (543,000 grants) was ~100 MB.
 */
function toOwnership(
  teams: readonly TeamRow[],
  users: readonly UserRow[],
  grants: Iterable<GrantRow>,
): Ownership {
  const intern = createInterner();
  return {
    teams: new Map(
      teams.map((row): [string, ManagedTeam] => [
        row.team_id,
        { teamId: row.team_id, source: row.source, externalId: row.external_id, alias: row.alias },
      ]),
    ),
    users: new Map(users.map((row): [string, ManagedUser] => [row.user_id, toManagedUser(row)])),
    grants: createGrantMap(asGrants(grants, intern)),
  };
}

function* asGrants(rows: Iterable<GrantRow>, intern: Interner): Iterable<Grant> {
  for (const row of rows) {
    yield {
      teamId: intern(row.team_id),
      userId: intern(row.user_id),
      source: row.source,
      role: row.role,
    };
  }
}
