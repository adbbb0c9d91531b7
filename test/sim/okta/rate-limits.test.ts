import { describe, expect, it } from 'vitest';

import { bucketOf, createRateLimiter } from '../../../src/sim/okta/rate-limits.js';

describe("the simulator's rate limits", () => {
  it.each([
    ['GET', '/api/v1/groups', 'groups'],
    ['GET', '/api/v1/groups/00g1/users', 'groups'],
    ['GET', '/api/v1/groups/00g1', 'group-by-id'],
    ['GET', '/api/v1/users', 'users'],
    ['GET', '/api/v1/users/00u1', 'user-get'],
    ['DELETE', '/api/v1/users/00u1', 'user-write'],
    ['GET', '/api/v1/users/00u1/groups', 'other'],
    ['GET', '/api/v1/apps/0oa1/groups', 'apps'],
    ['POST', '/oauth2/v1/token', 'token'],
  ] as const)('%s %s counts against %s', (method, path, bucket) => {
    expect(bucketOf(method, path)).toBe(bucket);
  });

  it('counts per window and reports limit, remaining and reset', () => {
    let now = Date.UTC(2026, 0, 5, 9, 0, 0, 500);
    const limiter = createRateLimiter(() => now, { groups: 2 }, 60_000);
    const resetAt = String(Math.ceil((now + 60_000) / 1000));
    expect(limiter.take('groups')).toEqual({
      allowed: true,
      headers: {
        'x-rate-limit-limit': '2',
        'x-rate-limit-remaining': '1',
        'x-rate-limit-reset': resetAt,
      },
    });
    expect(limiter.take('groups').allowed).toBe(true);
    expect(limiter.take('groups')).toMatchObject({
      allowed: false,
      headers: { 'x-rate-limit-remaining': '0' },
    });
    expect(limiter.take('users').allowed).toBe(true);
    now += 61_000;
    expect(limiter.take('groups')).toMatchObject({
      allowed: true,
      headers: { 'x-rate-limit-remaining': '1' },
    });
  });
});
