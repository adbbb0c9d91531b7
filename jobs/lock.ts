/**
 * A single-flight lock in Redis: `SET key value NX PX ttl`, renewed while held, released only by
 * its holder (compare-and-delete). It keeps one full reconcile per source running across every
 * worker process, on top of the store lease the engine takes (which only covers one SQLite file).
 *
 * The value is a random token plus who holds it, so renew and release can prove ownership and a
 * refused caller can say who is in the way.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

import type { Redis } from 'ioredis';

/** Extends the TTL if we still hold the key; re-takes it if it vanished (e.g. Redis lost it). */
const renewScript = `
local current = redis.call('GET', KEYS[1])
if current == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
elseif not current then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 2
end
return 0`;

const releaseScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

/** Who holds a lock, as written into its value. */
export type LockHolder = { readonly host: string; readonly pid: number; readonly label: string };

/** A lock this process holds. */
export type HeldLock = {
  readonly key: string;
  /** Stops renewing and deletes the key if it is still ours. Safe to call twice. */
  release(): Promise<void>;
};

export type LockOptions = {
  /** How long the lock outlives a holder that stops renewing it (crash, lost network). */
  readonly ttlMs: number;
  /** What the holder is doing, shown to those it keeps waiting (a job id, a run). */
  readonly label: string;
  /** Called if another holder took the key: two holders now exist, and the caller should know. */
  readonly onLost?: ((holder: LockHolder | undefined) => void) | undefined;
  /** Called when a renewal could not reach Redis; it is tried again at the next tick. */
  readonly onRenewError?: ((error: unknown) => void) | undefined;
};

/**
 * Takes the lock if free. Renews it every third of its TTL until released; a renewal that
 * finds the key gone takes it again rather than leaving the run unguarded.
 * @returns the held lock, or the current holder when someone else has it
 */
export async function tryLock(
  redis: Redis,
  key: string,
  options: LockOptions,
): Promise<
  { acquired: true; lock: HeldLock } | { acquired: false; holder: LockHolder | undefined }
> {
  const value = `${randomUUID()}|${hostname()}|${process.pid}|${options.label}`;
  const taken = await redis.set(key, value, 'PX', options.ttlMs, 'NX');
  if (taken !== 'OK') {
    return { acquired: false, holder: parseHolder(await redis.get(key)) };
  }
  let stopped = false;
  let released = false;
  let timer: NodeJS.Timeout | undefined;
  const renew = async (): Promise<void> => {
    try {
      const result = await redis.eval(renewScript, 1, key, value, String(options.ttlMs));
      if (result === 0 && !stopped) {
        stopped = true;
        options.onLost?.(parseHolder(await redis.get(key)));
        return;
      }
    } catch (error) {
      options.onRenewError?.(error);
    }
    schedule();
  };
  const schedule = (): void => {
    if (!stopped) {
      // One renewal in flight at most: the next is scheduled when this one settles.
      timer = setTimeout(() => void renew(), Math.max(1, Math.floor(options.ttlMs / 3)));
      timer.unref();
    }
  };
  schedule();
  return {
    acquired: true,
    lock: {
      key,
      release: async () => {
        if (released) {
          return;
        }
        released = true;
        stopped = true;
        clearTimeout(timer);
        await redis.eval(releaseScript, 1, key, value);
      },
    },
  };
}

/** Who holds the lock at `key`, if anyone. */
export async function lockHolder(redis: Redis, key: string): Promise<LockHolder | undefined> {
  return parseHolder(await redis.get(key));
}

function parseHolder(value: string | null): LockHolder | undefined {
  if (value === null) {
    return undefined;
  }
  const [, host = '?', pid = '0', ...label] = value.split('|');
  return { host, pid: Number(pid), label: label.join('|') };
}

/** A holder in words, for logs and job logs. */
export function describeHolder(holder: LockHolder | undefined): string {
  return holder === undefined
    ? 'a holder that just let go'
    : `${holder.label} on ${holder.host} (pid ${holder.pid})`;
}
