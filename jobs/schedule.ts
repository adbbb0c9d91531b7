/**
 * The recurring reconciles, registered with BullMQ job schedulers at every worker start.
 * `upsertJobScheduler` is idempotent per scheduler id, so restarts and several workers starting
 * at once leave exactly one scheduler (and one pending job) per id.
 * @see https://docs.bullmq.io/guide/job-schedulers
 */
import { ConfigError, errorMessage } from '../src/errors.js';
import { jobOptions, type SyncQueue } from './enqueue.js';
import type { FullReconcileMode, JobPayloads } from './names.js';
import type { JobSettings } from './settings.js';

/** One registered schedule. */
export type Schedule = {
  /** `sync-<source>` (SYNC_CRON) or `drift-<source>` (FULL_SYNC_CRON). */
  readonly id: string;
  readonly pattern: string;
  readonly source: string;
  readonly mode: FullReconcileMode;
  /** When it next fires (ms since the epoch), if BullMQ knows. */
  readonly next?: number | undefined;
};

/**
 * Makes the queue's schedulers exactly the wanted ones: per source, `sync-<source>` (an
 * incremental read where the source supports it) on SYNC_CRON and `drift-<source>` (a full
 * read) on FULL_SYNC_CRON. A schedule switched `off`, or of a source no longer configured, is
 * removed — the queue belongs to this service alone.
 * @throws ConfigError naming SYNC_CRON or FULL_SYNC_CRON when BullMQ refuses a pattern
 */
export async function upsertSchedules(
  queue: SyncQueue,
  settings: JobSettings,
  sources: readonly string[],
): Promise<Schedule[]> {
  const wanted = wantedSchedules(settings, sources);
  for (const schedule of wanted) {
    const data: JobPayloads['full-reconcile'] = {
      source: schedule.source,
      mode: schedule.mode,
      trigger: 'schedule',
    };
    try {
      await queue.upsertJobScheduler(
        schedule.id,
        { pattern: schedule.pattern },
        { name: 'full-reconcile', data, opts: jobOptions(settings) },
      );
    } catch (error) {
      const variable = schedule.mode === 'delta' ? 'SYNC_CRON' : 'FULL_SYNC_CRON';
      throw new ConfigError([
        `${variable}: the pattern "${schedule.pattern}" was refused: ${errorMessage(error)}`,
      ]);
    }
  }
  const ids = new Set(wanted.map(s => s.id));
  for (const existing of await queue.getJobSchedulers(0, -1)) {
    if (!ids.has(existing.key)) {
      await queue.removeJobScheduler(existing.key);
    }
  }
  return listSchedules(queue);
}

/** The schedules the settings ask for, per source. */
export function wantedSchedules(settings: JobSettings, sources: readonly string[]): Schedule[] {
  return sources.flatMap(source => [
    ...(settings.syncCron === undefined
      ? []
      : [{ id: `sync-${source}`, pattern: settings.syncCron, source, mode: 'delta' as const }]),
    ...(settings.fullSyncCron === undefined
      ? []
      : [{ id: `drift-${source}`, pattern: settings.fullSyncCron, source, mode: 'full' as const }]),
  ]);
}

/** The queue's schedulers as registered, soonest first. */
export async function listSchedules(queue: SyncQueue): Promise<Schedule[]> {
  const schedulers = await queue.getJobSchedulers(0, -1, true);
  return schedulers
    .map(s => {
      const data = s.template?.data as Partial<JobPayloads['full-reconcile']> | undefined;
      return {
        id: s.key,
        pattern: s.pattern ?? `every ${s.every ?? '?'} ms`,
        source: data?.source ?? '?',
        mode: data?.mode ?? 'full',
        next: s.next,
      };
    })
    .sort((a, b) => (a.next ?? Infinity) - (b.next ?? Infinity));
}
