/**
 * Per-user syncs on the queue: a login (`sync-user`), `resync --user`, and `resync --group`,
 * which syncs every member of a group and everyone this worker granted its team to.
 */
import { UnrecoverableError } from 'bullmq';

import { reconcileUser } from '../src/reconcile/reconcile-user.js';
import type { RunReport } from '../src/reconcile/run-types.js';
import type { RunTrigger } from '../src/store/types.js';
import { lockKey, postpone, type JobContext, type JobRun } from './context.js';
import { enqueueUserSync, userKey } from './enqueue.js';
import { groupMembers, unknownGroupMessage } from './group-members.js';
import { describeHolder, tryLock } from './lock.js';
import type { JobOutcome } from './names.js';
import { settle } from './outcome.js';
import { recordingErrors } from './record-errors.js';

/** A per-user sync holds its lock this long past a crash; renewed while it runs. */
const userLockTtlMs = 60_000;

type UserResult = { readonly report: RunReport; readonly errors: unknown[] };

/**
 * Runs one per-user sync under the user's lock. Deduplication already keeps one job per user
 * active; the lock also covers a stalled job handed to a second worker and group fan-outs.
 * @returns `{ busy }` naming the holder when another process is syncing this user right now
 */
async function syncUserLocked(
  ctx: JobContext,
  run: JobRun,
  source: string,
  subject: string,
  trigger: RunTrigger,
): Promise<UserResult | { busy: string }> {
  const taken = await tryLock(
    ctx.redis,
    lockKey(ctx.settings, `user-${userKey(source, subject)}`),
    {
      ttlMs: userLockTtlMs,
      label: `job ${run.job.id ?? '?'}`,
    },
  );
  if (!taken.acquired) {
    return { busy: describeHolder(taken.holder) };
  }
  try {
    const recording = recordingErrors(ctx.depsFor(source));
    const report = await reconcileUser(recording.deps, subject, {
      dryRun: false,
      force: false,
      trigger,
      signal: run.signal,
    });
    return { report, errors: recording.errors };
  } finally {
    await taken.lock.release();
  }
}

/** `sync-user` and `resync --user`: one person, now. Waits its turn if someone else is syncing them. */
export async function handleUserSync(
  ctx: JobContext,
  run: JobRun,
  source: string,
  subject: string,
  trigger: RunTrigger,
): Promise<JobOutcome> {
  const result = await syncUserLocked(ctx, run, source, subject, trigger);
  if ('busy' in result) {
    return postpone(
      run,
      ctx.busyRetryMs,
      `user ${subject} of ${source} is being synced by ${result.busy}; trying again in ${ctx.busyRetryMs} ms`,
    );
  }
  run.signal?.throwIfAborted();
  return settle(source, [result.report], result.errors);
}

/**
 * `resync --group G`: a per-user sync of every current member of G (by id or name) and of
 * everyone whose membership of G's team this worker granted (so leavers lose it). A member
 * someone else is syncing right now gets a follow-up sync instead of a wait.
 */
export async function handleGroupResync(
  ctx: JobContext,
  run: JobRun,
  source: string,
  group: string,
): Promise<JobOutcome> {
  const members = await groupMembers(ctx.depsFor(source), group, run.signal);
  if (!members.found && members.subjects.length === 0) {
    throw new UnrecoverableError(unknownGroupMessage(source, group));
  }
  const results: UserResult[] = [];
  let enqueued = 0;
  for (const subject of members.subjects) {
    run.signal?.throwIfAborted();
    const result = await syncUserLocked(ctx, run, source, subject, 'manual');
    if ('busy' in result) {
      await enqueueUserSync(ctx.queue, { source, subject }, { debounceMs: 0 });
      enqueued += 1;
    } else {
      results.push(result);
    }
  }
  run.signal?.throwIfAborted();
  const outcome = settle(
    source,
    results.map(r => r.report),
    results.flatMap(r => r.errors),
    { enqueued },
  );
  const notice = members.found
    ? []
    : [
        `group ${group} is not in scope of ${source}: only the memberships this worker granted were checked`,
      ];
  return { ...outcome, problems: [...notice, ...outcome.problems] };
}
