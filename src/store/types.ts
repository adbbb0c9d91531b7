/**
 * What the worker must remember between runs: which LiteLLM objects it manages, which
 * memberships it granted, and every run with one row per operation outcome. SQLite-backed
 * (`sqlite.ts`); synchronous because better-sqlite3 is, and every call is a few microseconds.
 */

export type ManagedTeam = {
  readonly teamId: string;
  readonly source: string;
  readonly externalId: string;
  readonly alias: string;
};

export type ManagedUser = {
  readonly userId: string;
  readonly source: string;
  readonly externalId: string;
  readonly email: string | null;
};

export type Grant = {
  readonly teamId: string;
  readonly userId: string;
  readonly source: string;
  readonly role: string;
};

/** A grant with the run that made it and when (`explain`). */
export type GrantRecord = Grant & { readonly runId: string | null; readonly createdAt: string };

/** Everything one source owns, as the planner reads it. */
export type Ownership = {
  readonly teams: ReadonlyMap<string, ManagedTeam>;
  readonly users: ReadonlyMap<string, ManagedUser>;
  /** Keyed by {@link grantKey}. */
  readonly grants: ReadonlyMap<string, Grant>;
};

/** The map key of a grant: team and user joined by a separator neither id can contain. */
export function grantKey(teamId: string, userId: string): string {
  return `${teamId}\u0000${userId}`;
}

export type RunKind = 'full' | 'user';
export type RunTrigger = 'manual' | 'schedule' | 'login' | 'demo' | 'approval' | 'saved-plan';
export type RunStatus =
  | 'running'
  | 'succeeded'
  | 'partial'
  | 'failed'
  | 'incomplete'
  | 'refused'
  | 'interrupted'
  | 'planned';

export type RunStart = {
  readonly runId: string;
  readonly source: string;
  readonly kind: RunKind;
  readonly trigger: RunTrigger;
  readonly subject?: string | undefined;
  readonly dryRun: boolean;
};

export type RunRecord = RunStart & {
  readonly status: RunStatus;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly summary: unknown;
  readonly error: string | null;
};

export type OperationStatus = 'pending' | 'ok' | 'failed';

/** One planned operation as stored: its kind, a human-readable subject and its full payload. */
export type OperationRecord = {
  readonly seq: number;
  readonly kind: string;
  readonly subject: string;
  readonly payload: unknown;
};

export type OperationOutcomeRecord = OperationRecord & {
  readonly status: OperationStatus;
  readonly detail: unknown;
  readonly error: string | null;
};

/** When a per-user sync read the IdP, and until when it may be writing to LiteLLM (ms). */
export type UserSyncMark = { readonly readAt: number; readonly writesUntil: number };

/** The outcome of trying to take a source's run lock. */
export type LockResult =
  | { readonly acquired: true; readonly takenOverRunId?: string | undefined }
  | { readonly acquired: false; readonly heldBy: { runId: string; host: string; pid: number } };

/**
 * A per-source key-value namespace (delta links, watermarks, mirrors). Synchronous, like the
 * rest of the store; `entries` iterates keys in order without loading them all.
 */
export type KeyValueStore = {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
  delete(key: string): void;
  entries(prefix: string): Iterable<[string, string]>;
  deletePrefix(prefix: string): void;
  transaction<T>(fn: () => T): T;
};

/** Where a quarantined plan stands: awaiting an operator, or decided. */
export type QuarantineState = 'pending' | 'approved' | 'rejected' | 'superseded';

/** A full run's plan held back by the circuit breaker; its operations are the run's rows. */
export type Quarantine = {
  readonly runId: string;
  readonly source: string;
  readonly reason: string;
  readonly state: QuarantineState;
  readonly createdAt: string;
  readonly decidedBy: string | null;
  readonly decidedAt: string | null;
  /** The run that applied it (approved), or null. */
  readonly appliedRun: string | null;
  /** Why the last approval was refused (drift), if it was. */
  readonly note: string | null;
};

/** A managed user deprovisioned in block mode: keys blocked, deletion due after the grace. */
export type Suspension = {
  readonly userId: string;
  readonly source: string;
  readonly externalId: string;
  readonly reason: string;
  readonly runId: string | null;
  /** ms since the epoch */
  readonly suspendedAt: number;
  /** ms since the epoch: from then on the user is deleted. */
  readonly deleteAfter: number;
  /** The keys this worker blocked (and will unblock if the user returns in time). */
  readonly tokens: readonly string[];
};

/** The safety state (issue 7): quarantines, staged deprovisions, blocked keys, absences. */
export interface SafetyStore {
  /** Quarantines a run's plan; earlier pending quarantines of the source are superseded. */
  quarantine(entry: { runId: string; source: string; reason: string }): void;
  /** Marks pending quarantines of the source other than `exceptRunId` superseded. */
  supersedeQuarantines(source: string, exceptRunId: string): void;
  quarantines(filter?: { source?: string; state?: QuarantineState }): Quarantine[];
  getQuarantine(runId: string): Quarantine | undefined;
  decideQuarantine(
    runId: string,
    decision: { state: 'approved' | 'rejected'; by: string; appliedRun?: string | undefined },
  ): void;
  noteQuarantine(runId: string, note: string): void;

  suspensions(source: string): ReadonlyMap<string, Suspension>;
  recordSuspension(suspension: Omit<Suspension, 'tokens'>): void;
  /** Written *before* the key is blocked (write-ahead). */
  recordBlockedKey(token: string, userId: string, runId: string): void;
  forgetBlockedKey(token: string): void;
  /** Forgets the suspension and every blocked-key record of the user. */
  forgetSuspension(userId: string): void;

  /** External id → consecutive complete snapshots the managed user was missing from. */
  absences(source: string): ReadonlyMap<string, number>;
  /** Replaces the source's absence counts. */
  setAbsences(source: string, runId: string, counts: ReadonlyMap<string, number>): void;
}

/** One applied (or attempted) operation in the audit log. */
export type AuditEntry = {
  readonly id: number;
  /** ms since the epoch */
  readonly at: number;
  readonly runId: string;
  readonly source: string;
  readonly trigger: string;
  /** Who asked (`--by`), when known. */
  readonly actor: string | null;
  readonly seq: number;
  readonly kind: string;
  readonly subject: string;
  /** LiteLLM user ids and known e-mails the operation touched. */
  readonly users: readonly string[];
  readonly status: 'ok' | 'failed';
  /** What LiteLLM had for the object before the write, from the state the run read. */
  readonly before: unknown;
  /** What the operation set (and what it reported doing). */
  readonly after: unknown;
  readonly error: string | null;
};

/** Which audit entries to list: newest first. */
export type AuditFilter = {
  readonly sinceMs?: number | undefined;
  /** Entries touching any of these user ids or e-mails. */
  readonly users?: readonly string[] | undefined;
  readonly runId?: string | undefined;
  readonly limit?: number | undefined;
};

/** The audit log (issue 7), kept for AUDIT_RETENTION. */
export interface AuditStore {
  recordAudit(
    entry: Omit<AuditEntry, 'id' | 'actor' | 'error'> & {
      actor?: string | undefined;
      error?: string | undefined;
    },
  ): void;
  audit(filter?: AuditFilter): AuditEntry[];
  /** Deletes entries older than `beforeMs`; returns how many. */
  pruneAudit(beforeMs: number): number;
}

export interface Store extends SafetyStore, AuditStore {
  ownership(source: string): Ownership;
  /**
   * The ownership one person's sync needs: their managed user rows (by external id), their
   * grants, and the managed teams among `teamIds` and the granted teams.
   */
  userOwnership(source: string, externalId: string, teamIds: readonly string[]): Ownership;
  /** A managed user named by external id, LiteLLM user id or e-mail (case-insensitive). */
  findManagedUser(source: string, subject: string): ManagedUser | undefined;
  /** The private state namespace of one source. */
  sourceState(source: string): KeyValueStore;
  recordTeam(team: ManagedTeam): void;
  forgetTeam(teamId: string): void;
  recordUser(user: ManagedUser): void;
  /** Forgets the user, every grant of theirs and any suspension (with its blocked-key records). */
  forgetUser(userId: string): void;
  /** Records grants made by `runId` (one transaction: an `addMembers` writes up to 100). */
  recordGrants(grants: readonly Grant[], runId: string): void;
  /** Every grant of the LiteLLM user, with the run that made it. */
  grantsOf(userId: string): GrantRecord[];
  /** Forgets the grants of these users in the team (one transaction). */
  forgetGrants(teamId: string, userIds: readonly string[]): void;

  startRun(run: RunStart): void;
  finishRun(runId: string, status: RunStatus, summary: unknown, error?: string): void;
  /** Marks full runs of this source still `running` as `interrupted`; returns their ids. */
  interruptRuns(source: string, exceptRunId: string): string[];
  recordOperations(runId: string, operations: readonly OperationRecord[]): void;
  completeOperation(
    runId: string,
    seq: number,
    outcome: { status: OperationStatus; detail?: unknown; error?: string },
  ): void;
  recentRuns(limit: number): RunRecord[];
  run(runId: string): RunRecord | undefined;
  operations(runId: string): OperationOutcomeRecord[];

  /**
   * Records that a per-user sync of `externalId` read the IdP at `readAt` and may write to
   * LiteLLM until `writesUntil` (ms since the epoch). Full runs that began reading before that
   * leave the user to it (see reconcile/plan-interleave.ts).
   */
  markUserSync(source: string, externalId: string, mark: UserSyncMark): void;
  /** External id → `writesUntil` of every mark of this source at or after `sinceMs`. */
  userSyncMarks(source: string, sinceMs: number): ReadonlyMap<string, number>;

  /** Takes the source's full-run lease, or takes over one whose holder is dead or expired. */
  acquireLock(source: string, runId: string, ttlMs: number): LockResult;
  renewLock(source: string, runId: string, ttlMs: number): void;
  releaseLock(source: string, runId: string): void;

  /**
   * Runs `fn` in one transaction: its writes land together or not at all, in one commit.
   * Nested calls join the outer transaction.
   */
  batch<T>(fn: () => T): T;
  close(): void;
}
