/**
 * Redis connections for the job layer, from `REDIS_URL`. Two kinds, as BullMQ's production guide
 * asks: workers (and the locks they hold) wait out an outage and reconnect forever; producers
 * (the CLI) fail fast, so `resync` can fall back to running inline.
 * @see https://docs.bullmq.io/guide/going-to-production
 * @see https://docs.bullmq.io/patterns/failing-fast-when-redis-is-down
 */
import type { ConnectionOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';

import type { Logger } from '../src/log.js';

/** Reconnect after 0.5 s, 1 s, … up to every 5 s, forever. */
const reconnectDelay = (attempt: number): number => Math.min(attempt * 500, 5000);

/**
 * BullMQ connection options for a long-lived worker process: `maxRetriesPerRequest: null`
 * (required for the blocking connection) and endless reconnection, so losing Redis pauses the
 * worker instead of killing it.
 */
export function workerConnection(url: string): ConnectionOptions {
  return { url, maxRetriesPerRequest: null, retryStrategy: reconnectDelay };
}

/** A plain client with the worker's reconnect policy (for locks). Commands wait for Redis to return. */
export function createWorkerRedis(url: string, logger: Logger): Redis {
  const options: RedisOptions = {
    maxRetriesPerRequest: null,
    retryStrategy: reconnectDelay,
    connectionName: 'idp-sync-lock',
  };
  const client = new Redis(url, options);
  client.on('error', redisErrorLogger(logger, 'lock connection'));
  return client;
}

/** Redis could not be reached within the time allowed. */
export class RedisUnreachableError extends Error {
  constructor(url: string, cause: unknown) {
    super(
      `Redis at ${redactRedisUrl(url)} is unreachable: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
    this.name = 'RedisUnreachableError';
  }
}

/**
 * Connects a producer client: no offline queue and no reconnection, so every command fails at
 * once when Redis is away. Resolves once `PING` answered.
 * @throws RedisUnreachableError when Redis does not answer within `timeoutMs`
 */
export async function connectProducer(
  url: string,
  options: { timeoutMs?: number } = {},
): Promise<Redis> {
  const timeoutMs = options.timeoutMs ?? 2000;
  const client = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: timeoutMs,
    retryStrategy: () => null,
    connectionName: 'idp-sync-cli',
  });
  // Errors surface through the awaited calls below; this only keeps ioredis from printing them.
  client.on('error', () => undefined);
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.connect().then(() => client.ping()),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return client;
  } catch (error) {
    client.disconnect();
    throw new RedisUnreachableError(url, error);
  } finally {
    clearTimeout(timer);
  }
}

/** The URL with any password replaced, for messages and logs. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') {
      parsed.password = '***';
    }
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return '(unparseable REDIS_URL)';
  }
}

/**
 * An `error` listener for a queue, worker or client: logs a lost connection once, not on every
 * reconnect attempt (ioredis emits one error per attempt while Redis is down).
 */
export function redisErrorLogger(logger: Logger, component: string): (error: Error) => void {
  let last = '';
  let lastAt = 0;
  return error => {
    const now = Date.now();
    if (error.message !== last || now - lastAt > 60_000) {
      logger.warn({ component, err: error.message }, 'redis error (will keep retrying)');
      last = error.message;
      lastAt = now;
    }
  };
}
