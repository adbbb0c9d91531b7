/**
 * Team membership, kept on both sides like LiteLLM does: the team's `members_with_roles` and each
 * user's `teams`. Ported from `team_member_add` / `add_new_member` / `team_member_delete`
 * (team_endpoints.py @1611cbc3, management_helpers/utils.py), quirks included.
 *
 * @see /work/shared/reference/litellm-api.md §4.6, §4.7
 */
import { randomUUID } from 'node:crypto';

import type { SimDb } from './db.js';
import { HttpException, NOT_PREMIUM_MESSAGE, ProxyException } from './errors.js';
import { pyModelRepr, pyModelStr } from './py-repr.js';
import type { MemberRequest } from './schemas/team-schemas.js';
import { deleteKeysOwnedBy } from './store/key-store.js';
import { updateTeam } from './store/team-store.js';
import { getUser, insertUser, updateUser, usersByEmail } from './store/user-store.js';
import type { SimMember, SimTeam, SimUser } from './types.js';

/** Who to remove: `TeamMemberDeleteRequest` minus the team. */
export type MemberSelector = {
  user_id: string | null | undefined;
  user_email: string | null | undefined;
};

function toMember(m: MemberRequest): SimMember {
  return { user_id: m.user_id ?? null, user_email: m.user_email ?? null, role: m.role };
}

/** `str(member)` of the pydantic `Member`. */
function memberStr(m: MemberRequest): string {
  return pyModelStr({ ...toMember(m) });
}

/** `repr(team.members_with_roles)`, as LiteLLM interpolates it into messages. */
function membersRepr(members: readonly SimMember[]): string {
  return `[${members.map(m => pyModelRepr('Member', { ...m })).join(', ')}]`;
}

/** `_check_team_member_admin_add`: admins need an enterprise licence. */
export function checkAdminAdd(member: MemberRequest | MemberRequest[], premium: boolean): void {
  if (premium) {
    return;
  }
  if (!Array.isArray(member)) {
    if (member.role === 'admin') {
      const error = `Assigning team admins is a premium feature. ${NOT_PREMIUM_MESSAGE}`;
      throw new HttpException(400, { error });
    }
    return;
  }
  const admin = member.find(m => m.role === 'admin');
  if (admin) {
    const error = `Assigning team admins is a premium feature. Got=${memberStr(admin)}. ${NOT_PREMIUM_MESSAGE}. `;
    throw new HttpException(400, { error });
  }
}

/**
 * `team_member_add_duplication_check`. Kept as LiteLLM has it: a member matching on both id and
 * e-mail counts twice, so a single such member is *not* refused, and an empty list is refused.
 */
export function checkDuplicates(team: SimTeam, member: MemberRequest | MemberRequest[]): void {
  const existing = team.members_with_roles;
  let hits = 0;
  for (const m of Array.isArray(member) ? member : [member]) {
    if (m.user_id !== null && m.user_id !== undefined) {
      hits += existing.filter(e => e.user_id === m.user_id).length;
    }
    if (m.user_email !== null && m.user_email !== undefined) {
      hits += existing.filter(e => e.user_email === m.user_email).length;
    }
  }
  const type = 'team_member_already_in_team';
  if (Array.isArray(member) && hits === member.length) {
    const message = `All users are already in team. Existing members=${membersRepr(existing)}`;
    throw new ProxyException(400, message, type, 'member');
  }
  if (!Array.isArray(member) && hits === 1) {
    const who = `user_id=${member.user_id ?? 'None'}, user_email=${member.user_email ?? 'None'}`;
    const message = `User already in team. Member: ${who}. Existing members=${membersRepr(existing)}`;
    throw new ProxyException(400, message, type, 'member');
  }
}

/** Adds `teamId` to a user's `teams` unless present (newer LiteLLM's `_append_team_id_if_absent`). */
function appendTeam(db: SimDb, user: SimUser, teamId: string): SimUser {
  return user.teams.includes(teamId)
    ? user
    : updateUser(db, user.user_id, { teams: [...user.teams, teamId] });
}

/**
 * `add_new_member`: upserts the user row. A member with `user_id` is created with only the id
 * (LiteLLM does not copy the e-mail); an e-mail-only member gets a random uuid user.
 */
function addNewMember(db: SimDb, m: SimMember, teamId: string): SimUser {
  if (m.user_id !== null) {
    const existing = getUser(db, m.user_id);
    return existing
      ? appendTeam(db, existing, teamId)
      : insertUser(db, m.user_id, { user_role: 'internal_user', teams: [teamId] });
  }
  const email = m.user_email ?? '';
  const matches = usersByEmail(db, email);
  const [only] = matches;
  if (only === undefined) {
    const fields = { user_email: email, user_role: 'internal_user', teams: [teamId] };
    return insertUser(db, randomUUID(), fields);
  }
  if (matches.length === 1) {
    return appendTeam(db, only, teamId);
  }
  throw new HttpException(400, {
    error: "Multiple users with this email found in db. Please use 'user_id' instead.",
  });
}

/**
 * `_add_team_members_to_team`: upserts every member's user, then appends the members not yet in
 * `members_with_roles` (e-mail-only members get the resolved `user_id`).
 */
export function addMembersToTeam(
  db: SimDb,
  team: SimTeam,
  member: MemberRequest | MemberRequest[],
): { team: SimTeam; users: SimUser[] } {
  const requested = Array.isArray(member) ? member : [member];
  const users = requested.map(m => {
    try {
      return addNewMember(db, toMember(m), team.team_id);
    } catch (e) {
      const reason = e instanceof HttpException ? e.toString() : String((e as Error).message);
      const error = `Unable to add user - ${memberStr(m)}, to team - ${team.team_id}, for reason - ${reason}`;
      throw new HttpException(500, { error });
    }
  });
  const members = [...team.members_with_roles];
  for (const m of requested) {
    const next = toMember(m);
    if (next.user_id === null && next.user_email !== null) {
      const resolved = users.filter(u => u.user_email !== null && u.user_email === next.user_email);
      next.user_id = resolved[resolved.length - 1]?.user_id ?? null;
    }
    const present = members.some(
      e =>
        (next.user_id !== null && e.user_id === next.user_id) ||
        (next.user_email !== null && e.user_email === next.user_email),
    );
    if (!present) {
      members.push(next);
    }
  }
  return { team: updateTeam(db, team.team_id, { members_with_roles: members }), users };
}

/** Users a selector points at: by id when given, else every user with that exact e-mail. */
function selectedUsers(db: SimDb, sel: MemberSelector): SimUser[] {
  if (sel.user_id !== null && sel.user_id !== undefined) {
    const user = getUser(db, sel.user_id);
    return user ? [user] : [];
  }
  return sel.user_email ? usersByEmail(db, sel.user_email) : [];
}

/** Removes the first occurrence of `teamId` from each user's `teams`. */
function dropTeamFromUsers(db: SimDb, users: readonly SimUser[], teamId: string): void {
  for (const user of users) {
    const at = user.teams.indexOf(teamId);
    if (at >= 0) {
      updateUser(db, user.user_id, { teams: user.teams.filter((_, i) => i !== at) });
    }
  }
}

/**
 * `team_member_delete` after its checks: drops the member from the team and the team from the
 * user(s), and deletes the user's keys for this team (PR #17057). Returns the updated team.
 */
export function removeMember(db: SimDb, team: SimTeam, sel: MemberSelector): SimTeam {
  const matches = (m: SimMember) =>
    (sel.user_id != null && m.user_id !== null && sel.user_id === m.user_id) ||
    (sel.user_email != null && m.user_email !== null && sel.user_email === m.user_email);
  const remaining = team.members_with_roles.filter(m => !matches(m));
  if (remaining.length === team.members_with_roles.length) {
    throw new HttpException(400, { error: 'User not found in team' });
  }
  const updated = updateTeam(db, team.team_id, { members_with_roles: remaining });
  const users = selectedUsers(db, sel);
  dropTeamFromUsers(db, users, team.team_id);
  const ids = new Set(users.map(u => u.user_id));
  if (sel.user_id !== null && sel.user_id !== undefined) {
    ids.add(sel.user_id);
  }
  deleteKeysOwnedBy(db, 'user_id', [...ids], team.team_id);
  return updated;
}

/** The per-member cleanup `/team/delete` runs: each member's user forgets the team. */
export function forgetTeam(db: SimDb, team: SimTeam): void {
  for (const m of team.members_with_roles) {
    dropTeamFromUsers(db, selectedUsers(db, m), team.team_id);
  }
}
