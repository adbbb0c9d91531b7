import { createSyncQueue } from '../../../jobs/enqueue.js';
import { connectProducer, redactRedisUrl } from '../../../jobs/redis.js';
import type { JobSettings } from '../../../jobs/settings.js';
import { readQueueStatus, type JobSummary, type QueueStatus } from '../../../jobs/status.js';
import { errorMessage } from '../../errors.js';
import type { RunRecord, Store } from '../../store/types.js';
import type { Output } from '../output.js';

/** The queue as `status` shows it: its state, or why it could not be read. */
export type JobsView = { readonly redis: string } & (
  QueueStatus | { readonly unreachable: string }
);

/**
 * Reads the queue's state for `status`. Never throws: with Redis down, status still shows the
 * runs, and says the queue could not be read.
 */
export async function readJobsView(settings: JobSettings): Promise<JobsView> {
  const redis = redactRedisUrl(settings.redisUrl);
  try {
    const client = await connectProducer(settings.redisUrl, { timeoutMs: 1500 });
    const queue = createSyncQueue(client, settings);
    queue.on('error', () => undefined);
    try {
      return { redis, ...(await readQueueStatus(queue)) };
    } finally {
      await queue.close().catch(() => undefined);
      client.disconnect();
    }
  } catch (error) {
    return { redis, unreachable: errorMessage(error) };
  }
}

/** `status`: recent runs with their counts, the failed operations of the latest ones, and the queue. */
export function runStatus(
  store: Store,
  options: { json: boolean; limit: number; jobs?: JobsView | undefined },
  out: Output,
): number {
  const runs = store.recentRuns(options.limit);
  const failures = runs.flatMap(run =>
    store
      .operations(run.runId)
      .filter(op => op.status === 'failed')
      .map(op => ({
        runId: run.runId,
        seq: op.seq,
        kind: op.kind,
        subject: op.subject,
        error: op.error,
      })),
  );
  const ownership = [...new Set(runs.map(r => r.source))].map(source => {
    const owned = store.ownership(source);
    return { source, teams: owned.teams.size, users: owned.users.size, grants: owned.grants.size };
  });
  const quarantined = store.quarantines({ state: 'pending' });
  if (options.json) {
    out.json({
      runs,
      quarantined,
      managed: ownership,
      failures,
      ...(options.jobs === undefined ? {} : { jobs: options.jobs }),
    });
    return 0;
  }
  if (options.jobs !== undefined) {
    printJobs(options.jobs, out);
    out.line('');
  }
  for (const q of quarantined) {
    out.line(
      `QUARANTINED ${q.source} run ${q.runId} (${q.createdAt}): ${q.reason}${q.note === null ? '' : ` — last approval refused: ${q.note}`}`,
    );
    out.line(
      `  review: idp-sync status --json; then idp-sync approve ${q.runId} --by <you> | idp-sync reject ${q.runId} --by <you>`,
    );
  }
  if (runs.length === 0) {
    out.line('No runs yet. Try `idp-sync plan`, then `idp-sync sync`.');
    return 0;
  }
  for (const o of ownership) {
    out.line(`${o.source}: managing ${o.teams} teams, ${o.users} users, ${o.grants} memberships`);
  }
  out.line('');
  out.line('STARTED                   SOURCE  KIND  STATUS       SUMMARY');
  for (const run of runs) {
    out.line(
      `${run.startedAt.padEnd(25)} ${run.source.padEnd(7)} ${run.kind.padEnd(5)} ${run.status.padEnd(12)} ${summaryLine(run)}`,
    );
  }
  if (failures.length > 0) {
    out.line('');
    out.line('Failed operations:');
    for (const f of failures) {
      out.line(`  ${f.runId.slice(0, 8)} #${f.seq} ${f.subject}: ${f.error ?? ''}`);
    }
  }
  return 0;
}

function summaryLine(run: RunRecord): string {
  const summary = run.summary as {
    applied?: Record<string, { ok: number; failed: number }>;
    keysDeleted?: number;
  } | null;
  const applied = Object.entries(summary?.applied ?? {}).map(
    ([kind, c]) => `${kind} ${c.ok}${c.failed > 0 ? `/${c.failed}✗` : ''}`,
  );
  const keys = (summary?.keysDeleted ?? 0) > 0 ? ` keys deleted ${summary?.keysDeleted}` : '';
  const subject = run.subject === undefined ? '' : `[${run.subject}] `;
  return `${subject}${applied.join(', ') || (run.error ?? '-')}${keys}`;
}

function printJobs(jobs: JobsView, out: Output): void {
  if ('unreachable' in jobs) {
    out.line(`Jobs: queue state unknown (${jobs.unreachable})`);
    return;
  }
  const c = jobs.counts;
  out.line(
    `Jobs (${jobs.redis}): ${jobs.depth} queued (${c['waiting'] ?? 0} waiting, ${c['delayed'] ?? 0} delayed), ${c['active'] ?? 0} active, ${c['failed'] ?? 0} failed, ${c['completed'] ?? 0} completed kept`,
  );
  for (const job of jobs.active) {
    out.line(`  active  ${describeJob(job)} since ${job.at ?? '?'}`);
  }
  for (const job of jobs.failed) {
    out.line(
      `  failed  ${describeJob(job)} at ${job.at ?? '?'} after ${job.attempts} attempt(s): ${job.reason ?? ''}`,
    );
  }
  if (jobs.schedules.length === 0) {
    out.line(
      '  no schedules registered (start `idp-sync worker`, or SYNC_CRON/FULL_SYNC_CRON are off)',
    );
  }
  for (const schedule of jobs.schedules) {
    out.line(
      `  next    ${schedule.id} (${schedule.pattern}) at ${schedule.next === undefined ? '?' : new Date(schedule.next).toISOString()}`,
    );
  }
}

function describeJob(job: JobSummary): string {
  const data = job.data as Record<string, unknown>;
  const what = Object.entries(data)
    .filter(([key]) => key !== 'source')
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
  return `#${job.id} ${job.name} ${String(data['source'])} ${what}`.trimEnd();
}
