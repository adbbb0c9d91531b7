/**
 * The write side: what the reconcile engine needs from LiteLLM's admin API, in our own terms.
 * The HTTP client in `litellm/` implements it; every method is idempotent in the sense of
 * product.md §4 ("already exists", "already in team", "not in team" are successes).
 */

/** The role a member holds inside one team. */
export type TeamRole = 'admin' | 'user';

/** LiteLLM's proxy-wide user roles that `/user/new` and `/user/update` accept. */
export type UserRole =
  'proxy_admin' | 'proxy_admin_viewer' | 'internal_user' | 'internal_user_viewer';

/** The marker this worker writes into `metadata.idp_sync` of every team and user it manages. */
export type ManagedMarker = { readonly source: string; readonly external_id: string };

export type TeamMember = {
  readonly userId: string | null;
  readonly email: string | null;
  readonly role: TeamRole;
};

export type Team = {
  readonly teamId: string;
  readonly alias: string | null;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly members: readonly TeamMember[];
  readonly blocked: boolean;
};

export type User = {
  readonly userId: string;
  readonly email: string | null;
  readonly ssoUserId: string | null;
  readonly role: string | null;
  readonly teams: readonly string[];
  readonly metadata: Readonly<Record<string, unknown>>;
};

export type Key = {
  /** The sha256 hash LiteLLM stores as `token`; accepted wherever a key is named. */
  readonly token: string;
  readonly userId: string | null;
  readonly teamId: string | null;
  readonly alias: string | null;
  readonly blocked: boolean;
  readonly metadata: Readonly<Record<string, unknown>>;
};

/** Team settings a template may set at creation (never changed afterwards by the worker). */
export type TeamSettings = {
  readonly models?: readonly string[] | undefined;
  readonly max_budget?: number | undefined;
  readonly budget_duration?: string | undefined;
  readonly tpm_limit?: number | undefined;
  readonly rpm_limit?: number | undefined;
};

export type NewTeam = {
  readonly teamId: string;
  readonly alias: string;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly settings?: TeamSettings | undefined;
};

export type NewUser = {
  readonly userId: string;
  readonly email: string | null;
  readonly ssoUserId: string | null;
  readonly role: UserRole;
  readonly alias: string | null;
  readonly metadata: Readonly<Record<string, unknown>>;
};

export type UserPatch = {
  readonly email?: string | undefined;
  readonly role?: UserRole | undefined;
  readonly ssoUserId?: string | undefined;
  readonly metadata?: Readonly<Record<string, unknown>> | undefined;
};

export type TeamPatch = {
  readonly alias?: string | undefined;
  /** Blocks (or unblocks) every key of the team at once. */
  readonly blocked?: boolean | undefined;
  readonly metadata?: Readonly<Record<string, unknown>> | undefined;
};

/** LiteLLM's admin API as the engine uses it. Lists stream every page; any unread page throws. */
export interface Target {
  listTeams(signal?: AbortSignal): AsyncIterable<Team>;
  getTeam(teamId: string, signal?: AbortSignal): Promise<Team | undefined>;
  /** Creates the team; an existing `team_id` is reported as `'exists'`, not as an error. */
  createTeam(team: NewTeam, signal?: AbortSignal): Promise<'created' | 'exists'>;
  updateTeam(teamId: string, patch: TeamPatch, signal?: AbortSignal): Promise<void>;
  /** Deletes the team (LiteLLM also deletes its team keys); an unknown team counts as deleted. */
  deleteTeam(teamId: string, signal?: AbortSignal): Promise<'deleted' | 'absent'>;
  /** Adds members by `user_id`; members already present count as added. */
  addMembers(
    teamId: string,
    members: readonly { userId: string; role: TeamRole }[],
    signal?: AbortSignal,
  ): Promise<void>;
  /** Removes one member; "not in team" counts as removed. */
  removeMember(teamId: string, userId: string, signal?: AbortSignal): Promise<'removed' | 'absent'>;
  listUsers(signal?: AbortSignal): AsyncIterable<User>;
  /**
   * Users matching any of: these exact `user_id`s, this exact `sso_user_id`, this e-mail
   * (exact, case-insensitive). Used by per-user syncs instead of reading every user.
   */
  findUsers(
    query: { userIds?: readonly string[]; ssoUserId?: string; email?: string },
    signal?: AbortSignal,
  ): Promise<User[]>;
  /** Creates the user with `auto_create_key: false`; an existing id is reported as `'exists'`. */
  createUser(user: NewUser, signal?: AbortSignal): Promise<'created' | 'exists'>;
  updateUser(userId: string, patch: UserPatch, signal?: AbortSignal): Promise<void>;
  /** Deletes the user; an unknown user counts as deleted. */
  deleteUser(userId: string, signal?: AbortSignal): Promise<'deleted' | 'absent'>;
  /** Every key owned by the user (`/key/list?user_id=`, all pages, full objects). */
  listUserKeys(userId: string, signal?: AbortSignal): AsyncIterable<Key>;
  /** Deletes keys by hash; "no keys found" counts as deleted. */
  deleteKeys(tokens: readonly string[], signal?: AbortSignal): Promise<void>;
  blockKey(token: string, signal?: AbortSignal): Promise<void>;
  unblockKey(token: string, signal?: AbortSignal): Promise<void>;
}
