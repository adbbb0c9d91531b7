import type { Target, Team, User } from '../target/types.js';

/** LiteLLM's teams and users, read in full (every page) in parallel. */
export async function readTargetState(
  target: Target,
  signal?: AbortSignal,
): Promise<{ teams: Map<string, Team>; users: User[] }> {
  const [teams, users] = await Promise.all([
    collect(target.listTeams(signal)),
    collect(target.listUsers(signal)),
  ]);
  return { teams: new Map(teams.map(team => [team.teamId, team])), users };
}

/** Drains an async iterable into an array. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) {
    all.push(item);
  }
  return all;
}
