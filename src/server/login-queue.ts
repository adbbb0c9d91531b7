/**
 * The server's side of the job queue: puts `sync-user` jobs on it and follows them. Its Redis
 * connection fails fast (no offline queue), so a sign-in never hangs on a lost Redis; such a
 * request is kept in memory and put on the queue once Redis answers again (bounded; the next
 * scheduled reconcile covers anything dropped).
 * @see https://docs.bullmq.io/patterns/failing-fast-when-redis-is-down
 */
import { Redis } from 'ioredis';

import {
  createSyncQueue,
  enqueueUserSync,
  type Enqueued,
  type SyncQueue,
} from '../../jobs/enqueue.js';
import { followJob, type Followed } from '../../jobs/follow.js';
import { redisErrorLogger } from '../../jobs/redis.js';
import type { JobSettings } from '../../jobs/settings.js';
import type { Logger } from '../log.js';

/** One login to sync: who, from which source. */
export type LoginRequest = { readonly source: string; readonly subject: string };

export type LoginQueue = {
  readonly queue: SyncQueue;
  /**
   * Enqueues a `sync-user` job.
   * @throws when Redis does not take it within the timeout
   */
  enqueue(request: LoginRequest, options: { debounceMs: number }): Promise<Enqueued>;
  /** Keeps a request that could not be enqueued and retries it in the background. */
  retryLater(request: LoginRequest, options: { debounceMs: number }): void;
  /** Requests waiting for Redis. */
  pending(): number;
  /** Waits for the job serving `request` up to `timeoutMs`; undefined when it did not end in time. */
  wait(request: Enqueued, timeoutMs: number): Promise<Followed | undefined>;
  /**
   * A plain client on the same Redis, failing fast too (replay cache, readiness), once it is
   * connected.
   * @throws when Redis is not connected within the enqueue timeout
   */
  redis(): Promise<Redis>;
  close(): Promise<void>;
};

/** Dependencies and knobs of {@link createLoginQueue}. */
export type LoginQueueOptions = {
  readonly logger: Logger;
  /** How long one enqueue may take before it counts as failed. @defaultValue 2000 */
  readonly enqueueTimeoutMs?: number | undefined;
  /** First background retry delay, doubled up to 30 s. @defaultValue 1000 */
  readonly retryMs?: number | undefined;
  /** Requests kept while Redis is away; beyond it the oldest are dropped. @defaultValue 10000 */
  readonly maxPending?: number | undefined;
  /** Called for each background retry that finally reached the queue. */
  readonly onRetried?: ((request: LoginRequest, enqueued: Enqueued) => void) | undefined;
};

const reconnect = (attempt: number): number => Math.min(attempt * 500, 5000);

export function createLoginQueue(settings: JobSettings, options: LoginQueueOptions): LoginQueue {
  const log = options.logger.child({ component: 'login-queue' });
  const failFast = { enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: reconnect };
  const queue = createSyncQueue({ url: settings.redisUrl, ...failFast }, settings);
  queue.on('error', redisErrorLogger(log, 'queue'));
  const redis = new Redis(settings.redisUrl, { ...failFast, connectionName: 'idp-sync-serve' });
  redis.on('error', redisErrorLogger(log, 'client'));
  const timeoutMs = options.enqueueTimeoutMs ?? 2000;
  const pending = new Map<string, { request: LoginRequest; debounceMs: number }>();
  let timer: NodeJS.Timeout | undefined;
  let delay = options.retryMs ?? 1000;
  let closed = false;

  const enqueue = (request: LoginRequest, o: { debounceMs: number }): Promise<Enqueued> =>
    withTimeout(
      queue.waitUntilReady().then(() => enqueueUserSync(queue, request, o)),
      timeoutMs,
      'enqueueing the login sync',
    );

  const flush = async (): Promise<void> => {
    timer = undefined;
    for (const [key, item] of pending) {
      try {
        const enqueued = await enqueue(item.request, { debounceMs: item.debounceMs });
        pending.delete(key);
        options.onRetried?.(item.request, enqueued);
      } catch {
        delay = Math.min(delay * 2, 30_000);
        schedule();
        return;
      }
    }
    delay = options.retryMs ?? 1000;
  };
  const schedule = (): void => {
    if (timer === undefined && !closed && pending.size > 0) {
      timer = setTimeout(() => void flush(), delay);
    }
  };

  return {
    queue,
    enqueue,
    retryLater: (request, o) => {
      const key = `${request.source}\u0000${request.subject}`;
      pending.delete(key);
      pending.set(key, { request, debounceMs: o.debounceMs });
      for (const oldest of pending.keys()) {
        if (pending.size <= (options.maxPending ?? 10_000)) {
          break;
        }
        pending.delete(oldest);
        log.warn('too many login syncs waiting for Redis: dropped the oldest');
      }
      schedule();
    },
    pending: () => pending.size,
    wait: async (request, waitMs) => {
      try {
        return await followJob(queue, request, {
          pollMs: 100,
          signal: AbortSignal.timeout(waitMs),
        });
      } catch {
        return undefined;
      }
    },
    redis: async () => {
      if (redis.status !== 'ready') {
        await withTimeout(
          new Promise(resolve => redis.once('ready', resolve)),
          timeoutMs,
          'connecting to Redis',
        );
      }
      return redis;
    },
    close: async () => {
      closed = true;
      clearTimeout(timer);
      if (pending.size > 0) {
        log.warn(
          { pending: pending.size },
          'stopping with login syncs still waiting for Redis; the next reconcile covers them',
        );
      }
      await queue.close();
      redis.disconnect();
    },
  };
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
