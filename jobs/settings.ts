/**
 * How the job layer runs, as loaded from the environment by `config/load.ts` (each variable is
 * documented in `.env.example`). Plain data: the job modules receive it, they never read env.
 */
export type JobSettings = {
  /** `REDIS_URL`. May hold a password: print it only through `redactRedisUrl`. */
  readonly redisUrl: string;
  /** `IDP_SYNC_QUEUE_PREFIX`: the Redis key prefix of the queue and its locks. @defaultValue 'idp-sync' */
  readonly prefix: string;
  /** `LOGIN_SYNC_DEBOUNCE_MS`: logins of one user within this window become one sync. @defaultValue 2000 */
  readonly loginDebounceMs: number;
  /** `SYNC_CRON`: the incremental reconcile schedule; undefined when `off`. @defaultValue every 15 minutes */
  readonly syncCron: string | undefined;
  /** `FULL_SYNC_CRON`: the full-read drift check; undefined when `off`. @defaultValue daily at 03:00 */
  readonly fullSyncCron: string | undefined;
  /** `SHUTDOWN_TIMEOUT_MS`: how long a stopping worker lets its jobs finish before aborting them. @defaultValue 30000 */
  readonly shutdownTimeoutMs: number;
  /** `JOB_ATTEMPTS`: tries per job, the first included, for transient failures. @defaultValue 5 */
  readonly attempts: number;
  /** `JOB_BACKOFF_MS`: the first retry delay; doubled each time, with jitter. @defaultValue 2000 */
  readonly backoffMs: number;
  /** `WORKER_CONCURRENCY`: jobs one worker process runs at once. @defaultValue 16 */
  readonly concurrency: number;
  /** `JOB_KEEP_COMPLETED`: completed jobs kept in Redis for inspection. @defaultValue 1000 */
  readonly keepCompleted: number;
  /** `JOB_KEEP_FAILED`: failed jobs kept in Redis for inspection. @defaultValue 5000 */
  readonly keepFailed: number;
};
