import { describe, expect, it } from 'vitest';

import { createBudget } from '../../../../src/sources/okta/budget.js';
import type { EndpointKey } from '../../../../src/sources/okta/endpoints.js';

const groups: EndpointKey = { bucket: 'groups', label: 'GET /api/v1/groups' };
const members: EndpointKey = { bucket: 'groups', label: 'GET /api/v1/groups/{id}/users' };
const start = Date.UTC(2026, 0, 5, 9, 0, 0);

/** A clock whose sleep moves time and records each wait. */
function fakeTime() {
  let now = start;
  const waits: number[] = [];
  return {
    now: () => now,
    sleep: (ms: number) => {
      waits.push(ms);
      now += ms;
      return Promise.resolve();
    },
    waits,
  };
}

function headers(limit: number, remaining: number, resetMs: number, dateMs: number) {
  const values: Record<string, string> = {
    'x-rate-limit-limit': String(limit),
    'x-rate-limit-remaining': String(remaining),
    'x-rate-limit-reset': String(Math.ceil(resetMs / 1000)),
    date: new Date(dateMs).toUTCString(),
  };
  return { get: (name: string) => values[name.toLowerCase()] ?? null };
}

describe('the rate-limit budget', () => {
  it('probes an unknown bucket with one call at a time', async () => {
    const time = fakeTime();
    const budget = createBudget({ share: 0.5, now: time.now, sleep: time.sleep });
    await budget.acquire(groups);
    let second = false;
    const waiting = budget.acquire(groups).then(() => (second = true));
    await Promise.resolve();
    expect(second).toBe(false);
    budget.settle(groups, { status: 200, headers: headers(10, 9, start + 60_000, start) });
    await waiting;
    expect(second).toBe(true);
  });

  it('keeps to its share of the limit, then sleeps until the reset plus a margin', async () => {
    const time = fakeTime();
    const budget = createBudget({ share: 0.5, now: time.now, sleep: time.sleep, marginMs: 1000 });
    const reset = start + 60_000;
    for (let i = 0; i < 5; i += 1) {
      await budget.acquire(members);
      budget.settle(members, { status: 200, headers: headers(10, 9 - i, reset, time.now()) });
    }
    expect(time.waits).toEqual([]);
    await budget.acquire(members);
    expect(time.waits).toEqual([61_000]);
    expect(budget.report()).toMatchObject({
      calls: { 'GET /api/v1/groups/{id}/users': 5 },
      waitedMs: 61_000,
    });
  });

  it('never takes the last calls others left in the window', async () => {
    const time = fakeTime();
    const budget = createBudget({ share: 0.5, now: time.now, sleep: time.sleep });
    await budget.acquire(groups);
    // Other integrations used the bucket: only 1 call remains of 100, although our share is 50.
    budget.settle(groups, { status: 200, headers: headers(100, 1, start + 30_000, start) });
    await budget.acquire(groups);
    expect(time.waits).toEqual([]);
    budget.settle(groups, { status: 200, headers: headers(100, 0, start + 30_000, start) });
    await budget.acquire(groups);
    expect(time.waits).toEqual([31_000]);
  });

  it('reads reset times on the server clock (Date header), not the local one', async () => {
    const time = fakeTime();
    const budget = createBudget({ share: 1, now: time.now, sleep: time.sleep, marginMs: 0 });
    const serverNow = start + 3_600_000; // the server is an hour ahead
    await budget.acquire(groups);
    budget.settle(groups, { status: 429, headers: headers(600, 0, serverNow + 20_000, serverNow) });
    expect(budget.serverNow()).toBe(serverNow);
    await budget.acquire(groups);
    expect(time.waits).toEqual([20_000]);
  });

  it('treats a 429 as an empty bucket and counts it', async () => {
    const time = fakeTime();
    const budget = createBudget({ share: 0.5, now: time.now, sleep: time.sleep, marginMs: 0 });
    await budget.acquire(groups);
    budget.settle(groups, { status: 429, headers: headers(600, 250, start + 10_000, start) });
    expect(budget.resetInMs('groups')).toBe(10_000);
    await budget.acquire(groups);
    expect(time.waits).toEqual([10_000]);
    expect(budget.report().throttled).toEqual({ 'GET /api/v1/groups': 1 });
  });

  it('does not govern answers without rate-limit headers', async () => {
    const time = fakeTime();
    const budget = createBudget({ share: 0.5, now: time.now, sleep: time.sleep });
    await budget.acquire(groups);
    budget.settle(groups, { status: 200, headers: { get: () => null } });
    await Promise.all([budget.acquire(groups), budget.acquire(groups), budget.acquire(groups)]);
    expect(time.waits).toEqual([]);
  });

  it('stops waiting when the signal aborts', async () => {
    const time = fakeTime();
    const budget = createBudget({ share: 0.5, now: time.now, sleep: time.sleep });
    const controller = new AbortController();
    controller.abort();
    await expect(budget.acquire(groups, controller.signal)).rejects.toMatchObject({
      code: 'ABORTED',
    });
  });
});
