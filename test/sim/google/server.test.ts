/**
 * The Google simulator on the wire: the JWT bearer token grant, bearer checks, paging bounds,
 * Google's error shape and the per-minute quota.
 */
import { createSign, generateKeyPairSync } from 'node:crypto';

import { afterEach, describe, expect, it } from 'vitest';

import { createGoogleSimulator, type GoogleSimulator } from '../../../src/sim/google/server.js';

const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
const iss = 'sa@p.iam.gserviceaccount.com';
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function assertion(claims: Record<string, unknown>, key = pair.privateKey): string {
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64({
    iss,
    aud: 'https://oauth2.googleapis.com/token',
    scope:
      'https://www.googleapis.com/auth/admin.directory.user.readonly https://www.googleapis.com/auth/admin.directory.group.readonly',
    sub: 'admin@example.com',
    iat: now,
    exp: now + 3600,
    ...claims,
  })}`;
  const signature = createSign('RSA-SHA256').update(unsigned).sign(key).toString('base64url');
  return `${unsigned}.${signature}`;
}

let sim: GoogleSimulator;
afterEach(() => sim.close());

async function start(options: Parameters<typeof createGoogleSimulator>[0] = {}) {
  sim = await createGoogleSimulator({
    serviceAccounts: [{ clientEmail: iss, publicKey: pair.publicKey }],
    admins: ['admin@example.com'],
    scenario: {
      users: Array.from({ length: 5 }, (_, i) => ({
        id: `u${i}`,
        primaryEmail: `u${i}@example.com`,
        suspended: i === 0,
        archived: false,
      })),
      groups: [
        { id: 'g1', email: 'g1@example.com', name: 'g1', members: [{ id: 'u1', type: 'USER' }] },
      ],
    },
    ...options,
  });
  return sim;
}

async function token(claims: Record<string, unknown> = {}, key = pair.privateKey) {
  const response = await fetch(sim.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion: assertion(claims, key),
    }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const get = async (path: string, accessToken?: string) => {
  const response = await fetch(`${sim.url}/admin/directory/v1${path}`, {
    headers: accessToken === undefined ? {} : { authorization: `Bearer ${accessToken}` },
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a test reads JSON answers freely
  return { status: response.status, body: (await response.json()) as Record<string, any> };
};

describe('google simulator: token endpoint', () => {
  it('issues a token for a valid assertion', async () => {
    await start();
    const answer = await token();
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
  });

  it.each([
    [
      'a foreign signature',
      {},
      generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
      'invalid_grant',
    ],
    ['a wrong audience', { aud: 'https://example.com' }, undefined, 'invalid_grant'],
    ['an expired assertion', { exp: 1 }, undefined, 'invalid_grant'],
    ['an unknown account', { iss: 'x@y' }, undefined, 'invalid_grant'],
    ['a subject without delegation', { sub: 'eve@example.com' }, undefined, 'unauthorized_client'],
  ])('refuses %s', async (_name, claims, key, error) => {
    await start();
    const answer = await token(claims, key);
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.body.error).toBe(error);
  });
});

describe('google simulator: directory API', () => {
  it('answers 401 in Google error shape without a valid bearer token', async () => {
    await start();
    const answer = await get('/users?customer=my_customer');
    expect(answer.status).toBe(401);
    expect(answer.body.error).toMatchObject({ code: 401, errors: [{ reason: 'authError' }] });
  });

  it('pages users and bounds maxResults', async () => {
    await start();
    const { body } = await token();
    const at = String(body.access_token);
    const first = await get('/users?customer=my_customer&maxResults=2', at);
    expect(first.body.users).toHaveLength(2);
    expect(first.body.users[0]).toMatchObject({ suspended: true, archived: false });
    const second = await get(
      `/users?customer=my_customer&maxResults=2&pageToken=${first.body.nextPageToken}`,
      at,
    );
    expect(second.body.users[0].id).not.toBe(first.body.users[0].id);
    expect((await get('/users?customer=my_customer&maxResults=501', at)).status).toBe(400);
    expect((await get('/users', at)).status).toBe(400);
    expect((await get('/groups/g1/members?maxResults=201', at)).status).toBe(400);
    expect((await get('/users/U3@EXAMPLE.COM', at)).body.id).toBe('u3');
    expect((await get('/users/nobody', at)).status).toBe(404);
  });

  it('refuses over the per-minute quota with 403 userRateLimitExceeded', async () => {
    await start({ queriesPerMinute: 2 });
    const at = String((await token()).body.access_token);
    await get('/groups?customer=my_customer', at);
    await get('/groups?customer=my_customer', at);
    const third = await get('/groups?customer=my_customer', at);
    expect(third.status).toBe(403);
    expect(third.body.error).toMatchObject({
      code: 403,
      errors: [{ reason: 'userRateLimitExceeded', domain: 'usageLimits' }],
    });
    expect(sim.calls().throttled).toEqual({ 'GET /groups': 1 });
  });
});
