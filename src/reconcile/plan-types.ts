import type { IdpGroup, IdpUser, SourceName } from '../model.js';
import type { Ownership } from '../store/types.js';
import type { Team, User } from '../target/types.js';
import type { LifecycleInput } from './lifecycle.js';
import type { MappingRules } from './mapping.js';
import type { Operation, OperationKind } from './operations.js';

/**
 * What the plan covers. `full`: the whole source; removals only when `complete`.
 * `user`: one person (login hook, `resync --user`); removals touch that person only.
 */
export type PlanScope =
  | { readonly kind: 'full'; readonly complete: boolean }
  | {
      readonly kind: 'user';
      readonly externalId: string;
      /** Whether the IdP said the user is deleted (a positive answer, not a failed read). */
      readonly deleted: boolean;
    };

/** Everything the planner looks at. It reads nothing else: no I/O, no clock. */
export type PlanInput = {
  readonly source: SourceName;
  readonly scope: PlanScope;
  /** IdP users by external id (for a user plan: that user, or none when deleted). */
  readonly users: ReadonlyMap<string, IdpUser>;
  /** In-scope groups with flattened members (for a user plan: that user's groups). */
  readonly groups: readonly IdpGroup[];
  /** LiteLLM teams by id (for a user plan: at least those of the user's groups and grants). */
  readonly teams: ReadonlyMap<string, Team>;
  /** LiteLLM users (for a user plan: at least the candidates that could match the user). */
  readonly litellmUsers: readonly User[];
  readonly ownership: Ownership;
  readonly rules: MappingRules;
  /**
   * Full plans: when this run's IdP read began (ms since the epoch). With `userSyncMarks`, it
   * leaves alone every user a per-user sync touched since (see plan-interleave.ts).
   */
  readonly readStartedAt?: number | undefined;
  /**
   * External id → until when the user's last per-user sync may have written to LiteLLM (ms; never
   * before that sync's IdP read began). Only marks at or after `readStartedAt` matter.
   */
  readonly userSyncMarks?: ReadonlyMap<string, number> | undefined;
  /**
   * Staged deprovisioning, absence confirmation and group removal (issue 7). Without it every
   * deprovision is immediate, one snapshot confirms an absence, and removed groups are kept.
   */
  readonly lifecycle?: LifecycleInput | undefined;
};

/** The ordered operations, their counts, and what the planner chose not to do and why. */
export type Plan = {
  readonly operations: readonly Operation[];
  readonly counts: Readonly<Partial<Record<OperationKind, number>>>;
  /** Removals the planner held back because the read was incomplete. */
  readonly withheld: number;
  /** Managed users of this source before the plan, the base of the percent threshold. */
  readonly managedUsers: number;
  /** Grants of this source before the plan, the base of the removal percent threshold. */
  readonly managedGrants?: number | undefined;
  /**
   * Managed users missing from this complete read but not yet for DEPROVISION_CONFIRMATIONS
   * snapshots: left untouched (external id → snapshots missing so far).
   */
  readonly unconfirmed?: Readonly<Record<string, number>> | undefined;
  /**
   * Managed teams whose group is missing from this complete read, but not yet for
   * DEPROVISION_CONFIRMATIONS snapshots: grants kept, team not retired (team id → snapshots).
   */
  readonly unconfirmedGroups?: Readonly<Record<string, number>> | undefined;
  readonly warnings: readonly string[];
  /**
   * External ids of users this full plan left to a fresher per-user sync: their operations were
   * dropped (see plan-interleave.ts). Sorted; empty (or absent) when there were none.
   */
  readonly deferredUsers?: readonly string[] | undefined;
};
