import { createInterner, type Interner } from '../intern.js';
import type { Target, Team, User } from '../target/types.js';

/**
 * LiteLLM's teams and users, read in full (every page) in parallel. Ids and roles are interned
 * as they arrive: every member entry and every user's team list repeats them (src/intern.ts).
 */
export async function readTargetState(
  target: Target,
  signal?: AbortSignal,
): Promise<{ teams: Map<string, Team>; users: User[] }> {
  const intern = createInterner();
  const [teams, users] = await Promise.all([
    collectMapped(target.listTeams(signal), team => compactTeam(team, intern)),
    collectMapped(target.listUsers(signal), user => compactUser(user, intern)),
  ]);
  return { teams: new Map(teams.map(team => [team.teamId, team])), users };
}

function compactTeam(team: Team, intern: Interner): Team {
  return {
    ...team,
    teamId: intern(team.teamId),
    members: team.members.map(m => ({
      userId: m.userId === null ? null : intern(m.userId),
      email: m.email,
      role: intern(m.role),
    })),
  };
}

function compactUser(user: User, intern: Interner): User {
  return {
    ...user,
    userId: intern(user.userId),
    role: user.role === null ? null : intern(user.role),
    teams: user.teams.map(intern),
  };
}

/** Drains an async iterable into an array. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  return collectMapped(items, item => item);
}

/** Drains an async iterable into an array, mapping each item as it arrives. */
async function collectMapped<T, R>(items: AsyncIterable<T>, map: (item: T) => R): Promise<R[]> {
  const all: R[] = [];
  for await (const item of items) {
    all.push(map(item));
  }
  return all;
}
