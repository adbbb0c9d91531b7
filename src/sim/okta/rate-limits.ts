/**
 * Okta's per-minute, org-wide rate limits: every request falls into one bucket (by method and
 * path, per Okta's table), each bucket counts requests in a fixed window that starts with its
 * first request, and every answer carries `X-Rate-Limit-Limit`, `-Remaining` and `-Reset` (UTC
 * epoch seconds). Over the limit, Okta answers 429 E0000047 until the reset.
 *
 * Note that `/api/v1/groups/{id}/users` counts against the `/api/v1/groups` bucket ("except
 * /api/v1/groups/{id}"), so listing groups and reading their members share one limit.
 *
 * @see https://developer.okta.com/docs/reference/rl-global-mgmt/
 * @see /work/shared/reference/idp-apis.md §C "Errors and rate limits"
 */
import type { BucketName } from './types.js';

/** Okta's Enterprise per-minute figures (the token endpoint's is UNVERIFIED). */
export const defaultLimits: Readonly<Record<BucketName, number>> = {
  apps: 100,
  'app-by-id': 600,
  groups: 600,
  'group-by-id': 600,
  users: 600,
  'user-get': 1000,
  'user-write': 600,
  logs: 50,
  token: 600,
  other: 600,
};

/** Which bucket a request counts against. */
export function bucketOf(method: string, path: string): BucketName {
  const parts = path.split('/').filter(part => part !== '');
  const [api, version, collection, id, ...rest] = parts;
  if (api === 'oauth2' && collection === 'token') {
    return 'token';
  }
  if (api !== 'api' || version !== 'v1') {
    return 'other';
  }
  switch (collection) {
    case 'apps':
      return id !== undefined && rest.length === 0 ? 'app-by-id' : 'apps';
    case 'groups':
      return id !== undefined && rest.length === 0 ? 'group-by-id' : 'groups';
    case 'users':
      if (id === undefined) {
        return method === 'GET' || method === 'POST' ? 'users' : 'other';
      }
      if (rest.length === 0) {
        return method === 'GET' ? 'user-get' : 'user-write';
      }
      return 'other';
    case 'logs':
      return 'logs';
    default:
      return 'other';
  }
}

/** What the limiter decided for one request, with the headers to send either way. */
export type RateDecision = { readonly allowed: boolean; readonly headers: Record<string, string> };

/** Fixed windows per bucket. */
export type RateLimiter = {
  /** Counts one request against its bucket. */
  take(bucket: BucketName): RateDecision;
  /** The headers of a bucket without counting (for injected 429s). */
  peek(bucket: BucketName): Record<string, string>;
  reset(): void;
};

/** Creates the limiter; `now` is the simulator's clock (epoch ms). */
export function createRateLimiter(
  now: () => number,
  limits: Partial<Record<BucketName, number>>,
  windowMs: number,
): RateLimiter {
  const windows = new Map<BucketName, { resetAtSeconds: number; used: number }>();
  const limitOf = (bucket: BucketName): number => limits[bucket] ?? defaultLimits[bucket];
  const current = (bucket: BucketName) => {
    const at = now();
    const window = windows.get(bucket);
    if (window !== undefined && at < window.resetAtSeconds * 1000) {
      return window;
    }
    const fresh = { resetAtSeconds: Math.ceil((at + windowMs) / 1000), used: 0 };
    windows.set(bucket, fresh);
    return fresh;
  };
  const headers = (bucket: BucketName, window: { resetAtSeconds: number; used: number }) => ({
    'x-rate-limit-limit': String(limitOf(bucket)),
    'x-rate-limit-remaining': String(Math.max(0, limitOf(bucket) - window.used)),
    'x-rate-limit-reset': String(window.resetAtSeconds),
  });
  return {
    take(bucket) {
      const window = current(bucket);
      // A refused request still counts: a client that hammers through a 429 stays refused.
      window.used += 1;
      return { allowed: window.used <= limitOf(bucket), headers: headers(bucket, window) };
    },
    peek(bucket) {
      const window = current(bucket);
      return { ...headers(bucket, window), 'x-rate-limit-remaining': '0' };
    },
    reset: () => windows.clear(),
  };
}
