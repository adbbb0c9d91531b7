/**
 * An in-memory LiteLLM for the L-size measurements: the Target port over plain maps, no HTTP and
 * no latency, so what is measured is the engine (planner, store, apply) alone.
 */
import type {
  Key,
  NewTeam,
  NewUser,
  Target,
  Team,
  TeamPatch,
  TeamRole,
  User,
  UserPatch,
} from '../src/target/types.js';

type MutableTeam = {
  teamId: string;
  alias: string | null;
  metadata: Record<string, unknown>;
  members: Map<string, TeamRole>;
  blocked: boolean;
};
type MutableUser = {
  userId: string;
  email: string | null;
  ssoUserId: string | null;
  role: string | null;
  teams: Set<string>;
  metadata: Record<string, unknown>;
};

/** A synchronous collection as the async iterable the ports use (no work per item). */
export function fromIterable<T>(items: () => Iterable<T>): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]() {
      const iterator = items()[Symbol.iterator]();
      return { next: () => Promise.resolve(iterator.next()) };
    },
  };
}

export function createMemoryTarget(): Target & { writes(): number } {
  const teams = new Map<string, MutableTeam>();
  const users = new Map<string, MutableUser>();
  let writes = 0;
  const toTeam = (t: MutableTeam): Team => ({
    teamId: t.teamId,
    alias: t.alias,
    metadata: t.metadata,
    blocked: t.blocked,
    members: [...t.members].map(([userId, role]) => ({ userId, email: null, role })),
  });
  const toUser = (u: MutableUser): User => ({
    userId: u.userId,
    email: u.email,
    ssoUserId: u.ssoUserId,
    role: u.role,
    teams: [...u.teams],
    metadata: u.metadata,
  });
  return {
    writes: () => writes,
    listTeams: () => fromIterable(() => [...teams.values()].map(toTeam)),
    getTeam(teamId) {
      const team = teams.get(teamId);
      return Promise.resolve(team === undefined ? undefined : toTeam(team));
    },
    createTeam(team: NewTeam) {
      writes += 1;
      if (teams.has(team.teamId)) {
        return Promise.resolve('exists');
      }
      teams.set(team.teamId, {
        teamId: team.teamId,
        alias: team.alias,
        metadata: { ...team.metadata },
        members: new Map(),
        blocked: false,
      });
      return Promise.resolve('created');
    },
    updateTeam(teamId: string, patch: TeamPatch) {
      writes += 1;
      const team = teams.get(teamId);
      if (team !== undefined) {
        team.alias = patch.alias ?? team.alias;
        team.blocked = patch.blocked ?? team.blocked;
        team.metadata = patch.metadata === undefined ? team.metadata : { ...patch.metadata };
      }
      return Promise.resolve();
    },
    deleteTeam(teamId) {
      writes += 1;
      return Promise.resolve(teams.delete(teamId) ? 'deleted' : 'absent');
    },
    addMembers(teamId, members) {
      writes += Math.ceil(members.length / 100);
      const team = teams.get(teamId);
      for (const member of members) {
        team?.members.set(member.userId, member.role);
        users.get(member.userId)?.teams.add(teamId);
      }
      return Promise.resolve();
    },
    removeMember(teamId, userId) {
      writes += 1;
      users.get(userId)?.teams.delete(teamId);
      return Promise.resolve(
        teams.get(teamId)?.members.delete(userId) === true ? 'removed' : 'absent',
      );
    },
    listUsers: () => fromIterable(() => [...users.values()].map(toUser)),
    findUsers(query) {
      const ids = new Set(query.userIds ?? []);
      return Promise.resolve(
        [...users.values()]
          .filter(
            u =>
              ids.has(u.userId) ||
              (query.ssoUserId !== undefined && u.ssoUserId === query.ssoUserId) ||
              (query.email !== undefined && u.email?.toLowerCase() === query.email.toLowerCase()),
          )
          .map(toUser),
      );
    },
    createUser(user: NewUser) {
      writes += 1;
      if (users.has(user.userId)) {
        return Promise.resolve('exists');
      }
      users.set(user.userId, {
        userId: user.userId,
        email: user.email,
        ssoUserId: user.ssoUserId,
        role: user.role,
        teams: new Set(),
        metadata: { ...user.metadata },
      });
      return Promise.resolve('created');
    },
    updateUser(userId: string, patch: UserPatch) {
      writes += 1;
      const user = users.get(userId);
      if (user !== undefined) {
        user.email = patch.email ?? user.email;
        user.role = patch.role ?? user.role;
        user.ssoUserId = patch.ssoUserId ?? user.ssoUserId;
        user.metadata = patch.metadata === undefined ? user.metadata : { ...patch.metadata };
      }
      return Promise.resolve();
    },
    deleteUser(userId) {
      writes += 1;
      return Promise.resolve(users.delete(userId) ? 'deleted' : 'absent');
    },
    // Nobody holds keys in the benchmark tenant.
    listUserKeys: () => fromIterable<Key>(() => []),
    deleteKeys: () => Promise.resolve(),
    blockKey: () => Promise.resolve(),
    unblockKey: () => Promise.resolve(),
  };
}
