/**
 * How LiteLLM prints stored rows (`LiteLLM_TeamTable`, `LiteLLM_UserTable`,
 * `LiteLLM_VerificationToken` `model_dump()`): the stored fields plus the fixed defaults of the
 * columns the simulator does not model.
 */
import type { SimKey, SimTeam, SimUser } from '../types.js';

/** A team row as `/team/*` routes return it. */
export function teamJson(t: SimTeam): Record<string, unknown> {
  return {
    team_alias: t.team_alias,
    team_id: t.team_id,
    organization_id: t.organization_id,
    admins: [],
    members: [],
    members_with_roles: t.members_with_roles,
    metadata: t.metadata,
    tpm_limit: t.tpm_limit,
    rpm_limit: t.rpm_limit,
    max_budget: t.max_budget,
    budget_duration: t.budget_duration,
    models: t.models,
    blocked: t.blocked,
    spend: t.spend,
    max_parallel_requests: null,
    budget_reset_at: null,
    model_id: null,
    litellm_model_table: null,
    created_at: t.created_at,
    updated_at: t.updated_at,
  };
}

/** A user row as `/user/*` routes return it. */
export function userJson(u: SimUser): Record<string, unknown> {
  return {
    user_id: u.user_id,
    max_budget: u.max_budget,
    spend: u.spend,
    model_max_budget: {},
    model_spend: {},
    user_email: u.user_email,
    user_alias: u.user_alias,
    models: u.models,
    tpm_limit: u.tpm_limit,
    rpm_limit: u.rpm_limit,
    user_role: u.user_role,
    organization_memberships: null,
    teams: u.teams,
    sso_user_id: u.sso_user_id,
    budget_duration: u.budget_duration,
    budget_reset_at: null,
    metadata: u.metadata,
    created_at: u.created_at,
    updated_at: u.updated_at,
  };
}

/** A key row (with its `token` hash) as `/key/*` and `/team/info` return it. */
export function keyJson(k: SimKey): Record<string, unknown> {
  return {
    token: k.token,
    key_name: k.key_name,
    key_alias: k.key_alias,
    spend: k.spend,
    max_budget: k.max_budget,
    expires: k.expires,
    models: k.models,
    aliases: {},
    config: {},
    user_id: k.user_id,
    team_id: k.team_id,
    max_parallel_requests: null,
    metadata: k.metadata,
    tpm_limit: k.tpm_limit,
    rpm_limit: k.rpm_limit,
    budget_duration: k.budget_duration,
    budget_reset_at: null,
    allowed_cache_controls: [],
    allowed_routes: [],
    permissions: {},
    model_spend: {},
    model_max_budget: {},
    soft_budget_cooldown: false,
    blocked: k.blocked,
    litellm_budget_table: null,
    organization_id: null,
    created_at: k.created_at,
    updated_at: k.updated_at,
    created_by: k.created_by,
    updated_by: k.created_by,
  };
}

/** A key row without its hash (`/key/info` pops `token`). */
export function keyInfoJson(k: SimKey): Record<string, unknown> {
  const row = keyJson(k);
  delete row.token;
  return row;
}
