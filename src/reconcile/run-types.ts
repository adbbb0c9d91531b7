import type { Logger } from '../log.js';
import type { ReadMode, Source } from '../sources/types.js';
import type { RunStatus, RunTrigger, Store } from '../store/types.js';
import type { Target } from '../target/types.js';
import type { FailedOutcome, OutcomeCounts } from './outcome.js';
import type { StoredPlan } from './approval.js';
import type { PlanBasis } from './basis.js';
import type { MappingRules } from './mapping.js';
import type { Plan } from './plan-types.js';
import type { LifecyclePolicy } from './lifecycle.js';
import type { DeprovisionThreshold, SafetyThresholds } from './threshold.js';

/** What a reconcile run needs, injected by the composition root (CLI, worker, demo). */
export type ReconcileDeps = {
  readonly source: Source;
  readonly target: Target;
  readonly store: Store;
  readonly logger: Logger;
  readonly rules: MappingRules;
  readonly threshold: DeprovisionThreshold;
  /**
   * The full circuit breaker and lifecycle policy (issue 7). Without it only `threshold` applies
   * and deprovisioning is immediate.
   */
  readonly safety?:
    | {
        readonly thresholds: SafetyThresholds;
        readonly lifecycle: LifecyclePolicy;
        /** How long audit entries are kept (AUDIT_RETENTION, ms; 0 keeps them forever). */
        readonly auditRetentionMs?: number | undefined;
      }
    | undefined;
  /** Operations applied at once within a phase. */
  readonly concurrency: number;
  readonly newRunId: () => string;
  readonly now: () => Date;
  /** Progress while applying, for a terminal display. */
  readonly onProgress?: ((done: number, total: number) => void) | undefined;
};

export type RunOptions = {
  readonly dryRun: boolean;
  /** Apply even when the deprovision threshold is exceeded. */
  readonly force: boolean;
  /**
   * Applying stored operations — an approved quarantine or a saved plan file: apply them only if
   * a fresh plan equals them (and, for a saved plan, the basis is unchanged); else the run is
   * refused, naming what changed (approval.ts `checkStoredPlan`). A quarantine's re-read does not
   * advance absence counts.
   */
  readonly approve?: StoredPlan | undefined;
  readonly trigger: RunTrigger;
  /** Who asked for the run (`--by`), recorded in the audit log. */
  readonly actor?: string | undefined;
  /** Full runs: fingerprint what the plan was computed from (report `basis`), for `plan --out`. */
  readonly withBasis?: boolean | undefined;
  /** Full runs: read only what changed (where the source can), or everything. @defaultValue 'full' */
  readonly mode?: ReadMode | undefined;
  readonly signal?: AbortSignal | undefined;
};

export type { OutcomeCounts } from './outcome.js';

/** Everything a caller needs to report a run: printed by the CLI, stored as the run summary. */
export type RunReport = {
  readonly runId: string;
  readonly source: string;
  readonly kind: 'full' | 'user';
  readonly subject?: string | undefined;
  readonly status: RunStatus;
  readonly dryRun: boolean;
  readonly complete: boolean;
  readonly problems: readonly string[];
  readonly plan: Plan | undefined;
  /** Operations that failed, in plan order (each outcome, failed or not, has a store row). */
  readonly failures: readonly FailedOutcome[];
  readonly applied: OutcomeCounts;
  /** Keys deleted by this run (or, for a dry run, keys that deprovisioning would delete). */
  readonly keysDeleted: number;
  readonly refusedBecause?: string | undefined;
  /** The refused plan was quarantined: stored under this run, awaiting `approve` or `reject`. */
  readonly quarantined?: boolean | undefined;
  readonly error?: string | undefined;
  readonly read: {
    readonly idpUsers: number;
    readonly idpGroups: number;
    readonly teams: number;
    readonly litellmUsers: number;
  };
  readonly durationMs: number;
  /** What reading cost the IdP, as the source reports it (calls, throttling, resource units). */
  readonly sourceUsage?: unknown;
  /** What the plan was computed from (full runs asked `withBasis`, or applying a saved plan). */
  readonly basis?: PlanBasis | undefined;
};
