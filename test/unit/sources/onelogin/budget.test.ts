import { describe, expect, it } from 'vitest';

import { createBudget } from '../../../../src/sources/onelogin/budget.js';
import { createSqliteStore } from '../../../../src/store/sqlite.js';

const state = () => createSqliteStore(':memory:').sourceState('onelogin');

describe('onelogin budget', () => {
  it('allows its share of the hour, then refuses with the wait until the next hour', async () => {
    const now = Date.parse('2026-01-01T10:00:00Z');
    const budget = createBudget({
      share: 0.001,
      state: state(),
      now: () => now,
      sleep: () => Promise.resolve(),
    });
    for (let i = 0; i < 5; i += 1) {
      await budget.acquire('GET /api/2/users');
    }
    await expect(budget.acquire('GET /api/2/users')).rejects.toMatchObject({
      code: 'SOURCE_RATE_LIMITED',
      retryAfterMs: 3_600_000,
    });
    expect(budget.report().hour).toEqual({ used: 5, allowed: 5 });
  });

  it("holds calls until the server's reset once the account bucket is empty", async () => {
    let now = Date.parse('2026-01-01T10:00:00Z');
    const budget = createBudget({
      share: 1,
      state: state(),
      now: () => now,
      sleep: ms => ((now += ms), Promise.resolve()),
    });
    await budget.acquire('GET /api/2/roles');
    budget.settle(
      'GET /api/2/roles',
      200,
      new Headers({
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': '20',
      }),
    );
    await budget.acquire('GET /api/2/roles');
    expect(budget.report().waitedMs).toBe(20_000);
  });
});
