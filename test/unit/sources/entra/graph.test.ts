import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { SyncError } from '../../../../src/errors.js';
import { graphUserSchema } from '../../../../src/sources/entra/api.js';
import { createGraph, graphStatusError } from '../../../../src/sources/entra/graph.js';
import { isResyncRequired } from '../../../../src/sources/entra/read-delta.js';
import { Throttle } from '../../../../src/sources/entra/throttle.js';
import {
  fakeFetch,
  graphError,
  graphOrigin,
  json,
  recordingSleep,
  staticToken,
  type Route,
} from './fake-graph.js';

const item = z.object({ id: z.string() });
const fastPolicy = { maxAttempts: 3, baseMs: 10, maxMs: 60_000 };

function graphWith(route: Route, auth = staticToken) {
  const fake = fakeFetch(route);
  const { sleep, sleeps } = recordingSleep();
  const graph = createGraph(graphOrigin, auth, {
    fetch: fake.fetch,
    sleep,
    retryPolicy: fastPolicy,
  });
  return { graph, requests: fake.requests, sleeps };
}

async function failure(promise: Promise<unknown>): Promise<SyncError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SyncError);
  return error as SyncError;
}

describe('createGraph', () => {
  it('follows every nextLink, signs each request with the MSAL token and keeps the deltaLink', async () => {
    const { graph, requests } = graphWith(({ url }) =>
      url.searchParams.get('$skiptoken') === null
        ? json({
            value: [{ id: 'a' }],
            '@odata.nextLink': `${graphOrigin}/v1.0/users/delta?$skiptoken=p2`,
          })
        : json({
            value: [{ id: 'b' }],
            '@odata.deltaLink': `${graphOrigin}/v1.0/users/delta?$deltatoken=d1`,
          }),
    );
    const result = await graph.readAll('/users/delta?$select=id', item, { priority: 'low' });
    expect(result).toEqual({
      items: [{ id: 'a' }, { id: 'b' }],
      deltaLink: `${graphOrigin}/v1.0/users/delta?$deltatoken=d1`,
    });
    expect(requests.map(r => r.url.href)).toEqual([
      `${graphOrigin}/v1.0/users/delta?$select=id`,
      `${graphOrigin}/v1.0/users/delta?$skiptoken=p2`,
    ]);
    for (const request of requests) {
      expect(request.headers.get('authorization')).toBe('Bearer test-token');
      expect(request.headers.get('x-ms-throttle-priority')).toBe('low');
    }
  });

  it('sends no priority header unless asked', async () => {
    const { graph, requests } = graphWith(() => json({ value: [] }));
    await graph.readAll('/users', item);
    expect(requests[0]?.headers.has('x-ms-throttle-priority')).toBe(false);
  });

  it('honours Retry-After in fractional seconds and as a date, and counts what it spent', async () => {
    const date = new Date(Date.now() + 3000).toUTCString();
    const answers = [
      graphError(429, 'TooManyRequests', { 'retry-after': '1.5' }),
      graphError(503, 'ServiceUnavailable', { 'retry-after': date }),
      json({ id: 'ok' }, 200, { 'x-ms-resource-unit': '2' }),
    ];
    const { graph, sleeps } = graphWith(() => answers.shift() ?? json({}, 500));
    await expect(graph.get('/users/ok', item)).resolves.toEqual({ id: 'ok' });
    expect(sleeps[0]).toBeGreaterThanOrEqual(1500);
    expect(sleeps[0]).toBeLessThan(1510);
    expect(sleeps[1]).toBeGreaterThan(1000);
    expect(sleeps[1]).toBeLessThanOrEqual(3010);
    expect(graph.throttle.usage).toMatchObject({ requests: 3, throttled: 2, resourceUnits: 2 });
  });

  it('gives up after the policy with SOURCE_RATE_LIMITED and the wait Graph asked for', async () => {
    const { graph, requests } = graphWith(() =>
      graphError(429, 'TooManyRequests', { 'retry-after': '7' }),
    );
    const error = await failure(graph.get('/users', item));
    expect(error).toMatchObject({
      code: 'SOURCE_RATE_LIMITED',
      retryable: true,
      retryAfterMs: 7000,
      status: 429,
    });
    expect(requests).toHaveLength(fastPolicy.maxAttempts);
  });

  it('retries a network failure, then reports SOURCE_UNAVAILABLE', async () => {
    const { graph, requests } = graphWith(() => {
      throw new TypeError('fetch failed');
    });
    const error = await failure(graph.get('/users', item));
    expect(error.code).toBe('SOURCE_UNAVAILABLE');
    expect(requests).toHaveLength(fastPolicy.maxAttempts);
  });

  it('keeps the auth provider’s error as it is', async () => {
    const refused = new SyncError('SOURCE_UNAUTHORIZED', 'Entra rejected the credentials');
    const { graph, requests } = graphWith(() => json({}), {
      getAccessToken: () => Promise.reject(refused),
    });
    expect(await failure(graph.get('/users', item))).toBe(refused);
    expect(requests).toHaveLength(0);
  });

  it('refuses a payload that does not match, naming the field', async () => {
    const { graph } = graphWith(() => json({ id: 'u1', userPrincipalName: 'u1@x' }));
    const error = await failure(graph.get('/users/u1', graphUserSchema));
    expect(error.code).toBe('SOURCE_INVALID_RESPONSE');
    expect(error.message).toContain('accountEnabled');
  });

  it('never follows a link to another host', async () => {
    const { graph, requests } = graphWith(() =>
      json({ value: [], '@odata.nextLink': 'https://evil.test/v1.0/users?$skiptoken=x' }),
    );
    const error = await failure(graph.readAll('/users', item));
    expect(error.code).toBe('SOURCE_INVALID_RESPONSE');
    expect(requests.map(r => r.url.host)).toEqual(['graph.test']);
  });
});

describe('graphStatusError', () => {
  const headers = new Headers();
  it('names the permission a 403 most likely lacks', () => {
    const body = {
      error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges' },
    };
    expect(
      graphStatusError({ status: 403, headers }, body, 'GET /v1.0/groups/g/members').message,
    ).toMatch(/GroupMember\.Read\.All application permission.*admin consent/);
    expect(graphStatusError({ status: 403, headers }, body, 'GET /v1.0/users').message).toContain(
      'User.Read.All',
    );
    expect(
      graphStatusError(
        { status: 403, headers },
        body,
        'GET /v1.0/servicePrincipals/sp/appRoleAssignedTo',
      ),
    ).toMatchObject({ code: 'SOURCE_UNAUTHORIZED', retryable: false });
  });

  it('maps 401, 404, 5xx and odd bodies', () => {
    expect(graphStatusError({ status: 401, headers }, '', 'GET /v1.0/users').code).toBe(
      'SOURCE_UNAUTHORIZED',
    );
    expect(graphStatusError({ status: 404, headers }, '', 'GET /v1.0/users/x').code).toBe(
      'SOURCE_NOT_FOUND',
    );
    expect(graphStatusError({ status: 504, headers }, '<html>', 'GET /v1.0/users')).toMatchObject({
      code: 'SOURCE_UNAVAILABLE',
      retryable: true,
    });
  });

  it('recognises a delta token Graph no longer honours', () => {
    const gone = graphStatusError({ status: 410, headers }, '', 'GET /v1.0/users/delta');
    const expired = graphStatusError(
      { status: 400, headers },
      { error: { code: 'syncStateNotFound', message: 'expired' } },
      'GET /v1.0/users/delta',
    );
    const other = graphStatusError(
      { status: 400, headers },
      { error: { code: 'BadRequest' } },
      'GET /v1.0/users',
    );
    expect([gone, expired, other].map(isResyncRequired)).toEqual([true, true, false]);
    expect(isResyncRequired(new Error('x'))).toBe(false);
  });
});

describe('Throttle', () => {
  it('spaces requests while Graph reports its limit percentage, and stops when it does not', async () => {
    const { sleep, sleeps } = recordingSleep();
    const throttle = new Throttle(sleep);
    await throttle.pace(undefined);
    expect(sleeps).toEqual([]);
    throttle.observe(200, new Headers({ 'x-ms-throttle-limit-percentage': '1.0' }));
    await throttle.pace(undefined);
    await throttle.pace(undefined);
    await throttle.pace(undefined);
    expect(sleeps.length).toBeGreaterThanOrEqual(2);
    expect(Math.max(...sleeps)).toBeGreaterThan(300);
    expect(throttle.usage.peakLimitPercentage).toBe(1);
    throttle.observe(200, new Headers());
    sleeps.length = 0;
    await throttle.pace(undefined);
    expect(sleeps).toEqual([]);
  });
});
