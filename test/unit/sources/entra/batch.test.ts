import { describe, expect, it } from 'vitest';

import { batchGet } from '../../../../src/sources/entra/batch.js';
import { createGraph } from '../../../../src/sources/entra/graph.js';
import {
  fakeFetch,
  graphOrigin,
  json,
  recordingSleep,
  staticToken,
  type SeenRequest,
} from './fake-graph.js';

type Inner = { id: string; method: string; url: string };
const innerOf = (request: SeenRequest): Inner[] =>
  (JSON.parse(request.body ?? '{}') as { requests: Inner[] }).requests;
const policy = { maxAttempts: 4, baseMs: 10, maxMs: 60_000 };

function setup(
  answer: (
    inner: Inner,
    call: number,
  ) => { status: number; headers?: Record<string, string>; body?: unknown } | undefined,
) {
  let call = 0;
  const fake = fakeFetch(request => {
    call += 1;
    const responses = innerOf(request).flatMap(inner => {
      const result = answer(inner, call);
      return result === undefined ? [] : [{ id: inner.id, ...result }];
    });
    return json({ responses });
  });
  const { sleep, sleeps } = recordingSleep();
  const graph = createGraph(graphOrigin, staticToken, {
    fetch: fake.fetch,
    sleep,
    retryPolicy: policy,
  });
  return { graph, requests: fake.requests, sleeps, sleep };
}

describe('batchGet', () => {
  it('sends at most 20 requests per batch', async () => {
    const { graph, requests } = setup(inner => ({ status: 200, body: { url: inner.url } }));
    const gets = Array.from({ length: 45 }, (_, i) => ({
      id: `r${i}`,
      url: `/groups/g${i}/members`,
    }));
    const results = await batchGet(graph, gets, { concurrency: 2 });
    expect(requests.map(r => innerOf(r).length)).toEqual([20, 20, 5]);
    expect(requests.every(r => r.method === 'POST' && r.url.pathname === '/v1.0/$batch')).toBe(
      true,
    );
    expect(results.get('r44')).toEqual({ status: 200, body: { url: '/groups/g44/members' } });
  });

  it('re-sends only the inner requests that were throttled or left unanswered, after the longest Retry-After', async () => {
    const { graph, requests, sleeps, sleep } = setup((inner, call) => {
      if (call === 1 && inner.id === 'b') {
        return {
          status: 429,
          headers: { 'Retry-After': '2' },
          body: { error: { code: 'TooManyRequests' } },
        };
      }
      if (call === 1 && inner.id === 'c') {
        return { status: 503, headers: { 'Retry-After': '0.5' } };
      }
      if (call === 1 && inner.id === 'd') {
        return undefined;
      }
      return { status: inner.id === 'e' ? 404 : 200, body: { id: inner.id, call } };
    });
    const gets = ['a', 'b', 'c', 'd', 'e'].map(id => ({ id, url: `/users/${id}` }));
    const results = await batchGet(graph, gets, { retryPolicy: policy, sleep });
    expect(requests.map(r => innerOf(r).map(i => i.id))).toEqual([
      ['a', 'b', 'c', 'd', 'e'],
      ['b', 'c', 'd'],
    ]);
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThanOrEqual(2000);
    expect(results.get('a')).toEqual({ status: 200, body: { id: 'a', call: 1 } });
    expect(results.get('b')).toEqual({ status: 200, body: { id: 'b', call: 2 } });
    expect(results.get('e')?.status).toBe(404);
  });

  it('fails with SOURCE_RATE_LIMITED when inner requests stay throttled', async () => {
    const { graph, requests, sleep } = setup(() => ({
      status: 429,
      headers: { 'Retry-After': '1' },
    }));
    await expect(
      batchGet(graph, [{ id: 'a', url: '/users/a' }], { retryPolicy: policy, sleep }),
    ).rejects.toMatchObject({
      code: 'SOURCE_RATE_LIMITED',
      retryAfterMs: 1000,
    });
    expect(requests).toHaveLength(policy.maxAttempts);
  });
});
