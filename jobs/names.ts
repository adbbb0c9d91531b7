/**
 * The jobs on the `idp-sync` queue and what each carries. Payloads hold identifiers only:
 * BullMQ stores job data in clear text in Redis, so never a token, key or secret.
 * @see https://docs.bullmq.io/guide/going-to-production
 */

import type { RunStatus } from '../src/store/types.js';

/** The one queue every worker process shares. Its Redis keys start with the configured prefix. */
export const queueName = 'idp-sync';

/** How a full reconcile reads the IdP: `delta` where the source can (the engine's `incremental`), or everything. */
export type FullReconcileMode = 'delta' | 'full';

/** Who asked for a full reconcile: a schedule is dropped while another run of its source holds the lock. */
export type FullReconcileTrigger = 'schedule' | 'manual';

/** What a `resync` job covers. */
export type ResyncTarget =
  | { readonly kind: 'user'; readonly subject: string }
  | { readonly kind: 'group'; readonly group: string }
  | { readonly kind: 'all' };

/** Every job name and its payload. */
export type JobPayloads = {
  /** A login (or a repair after a full run): sync one user of one source. */
  'sync-user': { readonly source: string; readonly subject: string };
  /** The scheduled reconcile of one source (or one asked for by hand). */
  'full-reconcile': {
    readonly source: string;
    readonly mode: FullReconcileMode;
    /** @defaultValue 'manual' */
    readonly trigger?: FullReconcileTrigger | undefined;
  };
  /** `idp-sync resync`: one user, every member of one group, or the whole source. */
  resync: { readonly source: string; readonly target: ResyncTarget };
};

export type JobName = keyof JobPayloads;

/** Any payload, as a worker receives it (its name says which). */
export type AnyJobPayload = JobPayloads[JobName];

/** What a finished job returns (stored in Redis, printed by `resync --wait`): counts, never data. */
export type JobOutcome = {
  readonly source: string;
  /** The run's status (`succeeded`, `partial`, …; the worst of several), or `skipped` when the job ran nothing. */
  readonly status: RunStatus | 'skipped';
  readonly runIds: readonly string[];
  /** Operations applied per kind: `{ addMembers: { ok: 2, failed: 0 } }`. */
  readonly applied: Readonly<Record<string, { ok: number; failed: number }>>;
  readonly keysDeleted: number;
  /** Users whose operations a full run left to a fresher per-user sync. */
  readonly deferredUsers?: readonly string[] | undefined;
  /** Per-user syncs enqueued by this job (repairs after a full run, busy members of a group). */
  readonly enqueued?: number | undefined;
  readonly problems: readonly string[];
  /** Why nothing ran, when `status` is `skipped`. */
  readonly reason?: string | undefined;
};
