import type { Redis } from 'ioredis';

import {
  createSyncQueue,
  enqueueResync,
  type Enqueued,
  type SyncQueue,
} from '../../../jobs/enqueue.js';
import { followJob, type Followed } from '../../../jobs/follow.js';
import { groupMembers, unknownGroupMessage } from '../../../jobs/group-members.js';
import type { ResyncTarget } from '../../../jobs/names.js';
import { connectProducer, RedisUnreachableError } from '../../../jobs/redis.js';
import { reconcileFull } from '../../reconcile/reconcile-full.js';
import { reconcileUser } from '../../reconcile/reconcile-user.js';
import type { RunOptions, RunReport } from '../../reconcile/run-types.js';
import type { AppContext } from '../context.js';
import { exitCodeFor, exitCodes, worstExitCode } from '../exit-codes.js';
import { formatReport } from '../format.js';
import type { Output } from '../output.js';

export type ResyncOptions = {
  readonly target: ResyncTarget;
  readonly dryRun: boolean;
  readonly json: boolean;
  readonly source?: string | undefined;
  /** Follow the queued jobs to their end and print how they ended. */
  readonly wait?: boolean | undefined;
  /** Run here and now instead of queueing (also the fallback when Redis is unreachable). */
  readonly inline?: boolean | undefined;
};

/**
 * `resync --user U | --group G | --all`: queued for the workers when Redis answers (printing
 * the job ids, and with `--wait` how they ended); run here with `--inline`, with `--dry-run`
 * (a preview coordinates nothing), or — with a notice — when Redis is unreachable.
 */
export async function runResync(
  app: AppContext,
  options: ResyncOptions,
  out: Output,
  signal?: AbortSignal,
): Promise<number> {
  const sources = app.config.sources
    .map(s => s.name)
    .filter(name => options.source === undefined || name === options.source);
  if (sources.length === 0) {
    out.error(
      `no configured source is named ${options.source ?? '(none)'}; IDP_SOURCES=${app.config.sources.map(s => s.name).join(',')}`,
    );
    return exitCodes.usage;
  }
  if (options.inline === true || options.dryRun) {
    return runInline(app, sources, options, out, signal);
  }
  let redis: Redis;
  try {
    redis = await connectProducer(app.config.jobs.redisUrl);
  } catch (error) {
    if (!(error instanceof RedisUnreachableError)) {
      throw error;
    }
    out.error(
      `${error.message}: running the resync here instead of queueing it (--inline skips this check).`,
    );
    return runInline(app, sources, options, out, signal);
  }
  const queue = createSyncQueue(redis, app.config.jobs);
  queue.on('error', error => app.logger.warn({ err: error.message }, 'queue error'));
  try {
    return await runQueued(queue, sources, options, out, signal);
  } finally {
    await queue.close();
    redis.disconnect();
  }
}

async function runQueued(
  queue: SyncQueue,
  sources: readonly string[],
  options: ResyncOptions,
  out: Output,
  signal?: AbortSignal,
): Promise<number> {
  const queued: { source: string; request: Enqueued }[] = [];
  for (const source of sources) {
    const request = await enqueueResync(queue, { source, target: options.target });
    queued.push({ source, request });
    if (!options.json) {
      out.line(
        `${source}: resync of ${describeTarget(options.target)} queued as job ${request.jobId}`,
      );
    }
  }
  if (options.wait !== true) {
    if (options.json) {
      out.json({ queued: queued.map(q => ({ source: q.source, jobId: q.request.jobId })) });
    }
    return exitCodes.ok;
  }
  const ended: { source: string; result: Followed }[] = [];
  for (const { source, request } of queued) {
    const result = await followJob(queue, request, { signal });
    ended.push({ source, result });
    if (!options.json) {
      out.line(describeEnd(source, result));
    }
  }
  if (options.json) {
    out.json({ jobs: ended.map(e => ({ source: e.source, ...e.result })) });
  }
  return worstExitCode(ended.map(e => exitCodeOf(e.result)));
}

async function runInline(
  app: AppContext,
  sources: readonly string[],
  options: ResyncOptions,
  out: Output,
  signal?: AbortSignal,
): Promise<number> {
  const reports: RunReport[] = [];
  const run: RunOptions = { dryRun: options.dryRun, force: false, trigger: 'manual', signal };
  for (const source of sources) {
    const deps = app.depsFor(source);
    const target = options.target;
    if (target.kind === 'user') {
      reports.push(await reconcileUser(deps, target.subject, run));
    } else if (target.kind === 'all') {
      reports.push(await reconcileFull(deps, { ...run, mode: 'full' }));
    } else {
      const members = await groupMembers(deps, target.group, signal);
      if (!members.found && members.subjects.length === 0) {
        out.error(unknownGroupMessage(source, target.group));
        return exitCodes.usage;
      }
      for (const subject of members.subjects) {
        reports.push(await reconcileUser(deps, subject, run));
      }
    }
  }
  if (options.json) {
    out.json(reports.length === 1 ? reports[0] : reports);
  } else {
    reports.forEach(report => out.line(formatReport(report)));
  }
  return worstExitCode(reports.map(r => exitCodeFor(r.status)));
}

function describeTarget(target: ResyncTarget): string {
  switch (target.kind) {
    case 'user':
      return `user ${target.subject}`;
    case 'group':
      return `group ${target.group}`;
    case 'all':
      return 'everything';
  }
}

function describeEnd(source: string, result: Followed): string {
  switch (result.state) {
    case 'completed': {
      const o = result.outcome;
      const applied = Object.entries(o.applied).map(
        ([kind, c]) => `${kind} ${c.ok}${c.failed > 0 ? `/${c.failed} failed` : ''}`,
      );
      const extra = [
        ...(o.reason === undefined ? [] : [o.reason]),
        ...(o.enqueued === undefined || o.enqueued === 0
          ? []
          : [`${o.enqueued} follow-up sync(s) queued`]),
        ...o.problems,
      ];
      return `${source}: job ${result.jobId} ${o.status}: ${applied.join(', ') || 'nothing to change'}${extra.length > 0 ? ` (${extra.join('; ')})` : ''}`;
    }
    case 'failed':
      return `${source}: job ${result.jobId} failed after ${result.attempts} attempt(s): ${result.reason}`;
    case 'missing':
      return `${source}: job ${result.jobId} is gone from the queue (removed by hand, or pruned by the retention limits)`;
  }
}

function exitCodeOf(result: Followed): number {
  switch (result.state) {
    case 'completed':
      return result.outcome.status === 'skipped'
        ? exitCodes.ok
        : exitCodeFor(result.outcome.status);
    case 'failed':
      return /refused by the deprovision threshold/.test(result.reason)
        ? exitCodes.refused
        : exitCodes.failed;
    case 'missing':
      return exitCodes.failed;
  }
}
