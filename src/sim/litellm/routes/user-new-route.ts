/**
 * `POST /user/new` with the newer duplicate behaviour (PR #17559 / internal_user_endpoints.py
 * @00025c84): an existing `user_id`, or an e-mail equal ignoring case and surrounding spaces,
 * is a 409.
 *
 * @see /work/shared/reference/litellm-api.md §5.1
 */
import { randomUUID } from 'node:crypto';

import type { SimDb } from '../db.js';
import { HttpException } from '../errors.js';
import { expiresFor, hashToken, keyName, newPlaintextKey } from '../keygen.js';
import { ok, type Route } from '../router.js';
import type { MemberRequest } from '../schemas/team-schemas.js';
import { newUserSchema, type NewUserRequest } from '../schemas/user-key-schemas.js';
import { insertKey } from '../store/key-store.js';
import { firstUserByEmailCi, getUser, insertUser } from '../store/user-store.js';
import type { SimKey, SimUser } from '../types.js';
import { parseBody } from '../validation/body.js';
import { teamMemberAdd } from './team-member-routes.js';

/** `_check_duplicate_user_id` / `_check_duplicate_user_email`; the message shows the stored value. */
function checkDuplicates(db: SimDb, data: NewUserRequest): void {
  if (data.user_id) {
    const existing = getUser(db, data.user_id.trim());
    if (existing) {
      throw new HttpException(409, { error: `User with id ${existing.user_id} already exists` });
    }
  }
  if (data.user_email) {
    const existing = firstUserByEmailCi(db, data.user_email.trim());
    if (existing) {
      const error = `User with email ${existing.user_email ?? ''} already exists`;
      throw new HttpException(409, { error });
    }
  }
}

/**
 * `teams` entries: a team id, or `{team_id, user_role}` (`NewUserRequestTeam`). Every add goes
 * through member_add and every failure is swallowed (`asyncio.gather(return_exceptions=True)`).
 */
function joinTeams(db: SimDb, premium: boolean, user: SimUser, data: NewUserRequest): void {
  const entries: unknown[] = data.team_id ? [data.team_id] : (data.teams ?? []);
  for (const entry of entries) {
    const teamId = typeof entry === 'string' ? entry : (entry as { team_id?: unknown }).team_id;
    const role = (entry as { user_role?: unknown }).user_role === 'admin' ? 'admin' : 'user';
    if (typeof teamId !== 'string') {
      continue;
    }
    const member: MemberRequest = { user_id: user.user_id, user_email: data.user_email, role };
    try {
      teamMemberAdd(db, premium, teamId, member);
    } catch {
      // Swallowed by LiteLLM: a missing team does not fail /user/new.
    }
  }
}

function createKey(db: SimDb, user: SimUser, data: NewUserRequest): [string, SimKey] {
  const plaintext = newPlaintextKey();
  const key = insertKey(db, hashToken(plaintext), {
    key_name: keyName(plaintext),
    key_alias: data.key_alias ?? null,
    user_id: user.user_id,
    team_id: data.team_id ?? null,
    blocked: data.blocked ?? null,
    metadata: data.metadata ?? {},
    models: data.models ?? [],
    max_budget: null,
    tpm_limit: data.tpm_limit ?? null,
    rpm_limit: data.rpm_limit ?? null,
    budget_duration: null,
    expires: expiresFor(data.duration),
    spend: 0,
    created_by: null,
  });
  return [plaintext, key];
}

const newUser: Route = {
  method: 'POST',
  path: '/user/new',
  errorStyle: 'proxy',
  handle({ db, body, settings }) {
    const data = parseBody(newUserSchema, body);
    checkDuplicates(db, data);
    const userId = data.user_id ?? randomUUID();
    const expires = expiresFor(data.duration);
    let user: SimUser;
    try {
      user = insertUser(db, userId, {
        user_email: data.user_email ?? null,
        user_alias: data.user_alias ?? null,
        user_role: data.user_role ?? null,
        sso_user_id: data.sso_user_id ?? null,
        metadata: data.metadata ?? {},
        models: data.models ?? [],
        max_budget: data.max_budget ?? null,
        budget_duration: data.budget_duration ?? null,
        tpm_limit: data.tpm_limit ?? null,
        rpm_limit: data.rpm_limit ?? null,
      });
    } catch {
      // A unique violation (`sso_user_id`) surfaces from generate_key_helper_fn like this.
      throw new HttpException(500, { error: 'Internal Server Error.' });
    }
    const [plaintext, key] = data.auto_create_key ? createKey(db, user, data) : ['', undefined];
    joinTeams(db, settings.premium, user, data);
    return ok({
      key: plaintext,
      key_name: key?.key_name ?? null,
      key_alias: data.key_alias ?? null,
      expires: key ? expires : null,
      user_id: user.user_id,
      team_id: data.team_id ?? null,
      models: user.models,
      metadata: user.metadata,
      spend: 0,
      max_budget: user.max_budget,
      tpm_limit: user.tpm_limit,
      rpm_limit: user.rpm_limit,
      budget_duration: user.budget_duration,
      blocked: data.blocked ?? null,
      user_email: user.user_email,
      user_role: user.user_role,
      user_alias: user.user_alias,
      teams: null,
      created_at: key?.created_at ?? null,
      updated_at: key?.updated_at ?? null,
      created_by: null,
      updated_by: null,
    });
  },
};

/** The user creation route. */
export const userNewRoutes: readonly Route[] = [newUser];
