/**
 * Public types of the LiteLLM admin API simulator: the state it keeps (mirroring LiteLLM's
 * `LiteLLM_TeamTable`, `LiteLLM_UserTable`, `LiteLLM_VerificationToken`), its write log, fault
 * rules and the handle returned by `createLiteLLMSimulator`.
 *
 * @see /work/shared/reference/litellm-api.md §3
 */
import type { FaultRule } from '../shared/fault-rule.js';

// The rule type is the shared kit's; `faults.ts` says what LiteLLM answers for it.
export type { FaultRule } from '../shared/fault-rule.js';

/** A team member as LiteLLM stores it in `members_with_roles` (pydantic `Member`). */
export type SimMember = {
  user_id: string | null;
  user_email: string | null;
  role: 'admin' | 'user';
};

/** One row of the team table. */
export type SimTeam = {
  team_id: string;
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
  spend: number;
  created_at: string;
  updated_at: string;
};

/** One row of the user table; `teams` is LiteLLM's denormalised membership list. */
export type SimUser = {
  user_id: string;
  user_email: string | null;
  user_alias: string | null;
  sso_user_id: string | null;
  user_role: string | null;
  teams: string[];
  metadata: Record<string, unknown>;
  models: string[];
  max_budget: number | null;
  budget_duration: string | null;
  tpm_limit: number | null;
  rpm_limit: number | null;
  spend: number;
  created_at: string;
  updated_at: string;
};

/** One virtual key. The plaintext is never stored, only `token` = sha256 hex of it. */
export type SimKey = {
  token: string;
  key_name: string | null;
  key_alias: string | null;
  user_id: string | null;
  team_id: string | null;
  blocked: boolean | null;
  metadata: Record<string, unknown>;
  models: string[];
  max_budget: number | null;
  tpm_limit: number | null;
  rpm_limit: number | null;
  budget_duration: string | null;
  expires: string | null;
  spend: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
};

/** Full dump of the simulator's state, each list in creation order. */
export type SimState = { teams: SimTeam[]; users: SimUser[]; keys: SimKey[] };

/** One successful state-changing request, as recorded in the write log. */
export type SimWrite = {
  seq: number;
  method: string;
  path: string;
  body: unknown;
  status: number;
  at: string;
};

/** Called for every API request (not `/__sim/*`) with the running request count. */
export type RequestHook = (info: { method: string; path: string }, count: number) => void;

/**
 * Called after a successful write is committed and before its response is sent, with the running
 * write count. A returned promise is awaited, so a test can kill a client before it sees the ack.
 */
export type WriteHook = (write: SimWrite, count: number) => void | Promise<void>;

/** Options of `createLiteLLMSimulator`. */
export type LiteLLMSimulatorOptions = {
  /** @defaultValue 0 (an ephemeral port) */
  port?: number;
  /** @defaultValue '127.0.0.1' */
  host?: string;
  /** SQLite file path. @defaultValue ':memory:' */
  dbPath?: string;
  /** @defaultValue 'sk-1234' */
  masterKey?: string;
  /** Enterprise licence present: allows team admins on `/team/member_add`. @defaultValue false */
  premium?: boolean;
  /**
   * The `user_id` LiteLLM gives the master key (`litellm_proxy_admin_name`); `/team/new` appends it
   * as a team admin. `null` turns that off. @defaultValue 'default_user_id'
   */
  adminUserId?: string | null;
  /** Serve the unauthenticated `/__sim/*` test-control routes. @defaultValue false */
  control?: boolean;
  /** Fixed delay added to every API call. @defaultValue 0 */
  latencyMs?: number;
  /**
   * Fault rules. One without `body` answers a realistic LiteLLM body for its status; a 429 gets
   * `Retry-After: 1` unless its `headers` say otherwise.
   */
  faults?: readonly FaultRule[];
  /** Seed of the PRNG behind `FaultRule.probability`. @defaultValue 1 */
  seed?: number;
  onRequest?: RequestHook;
  onWrite?: WriteHook;
};

/** A running simulator. */
export type LiteLLMSimulator = {
  /** Base URL, e.g. `http://127.0.0.1:4000`. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
  state(): SimState;
  writes(): SimWrite[];
  /** API calls by `"METHOD /path"`, faulted and rejected calls included. */
  calls(): Record<string, number>;
  setFaults(rules: readonly FaultRule[]): void;
  clearFaults(): void;
  setLatency(ms: number): void;
  onWrite(hook: WriteHook | undefined): void;
  onRequest(hook: RequestHook | undefined): void;
  /** Empties state, write log, call counts and fault rules. */
  reset(): void;
};
