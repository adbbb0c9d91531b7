import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { signBody } from '../../src/server/hmac.js';
import { startJobsHarness, type JobsHarness } from '../helpers/jobs.js';
import { testRedis } from '../helpers/redis.js';
import { startTestOp, type TestOp } from './op.js';
import { freePort, hookSecret, startServe, type Served } from './serve-harness.js';

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const nowSec = (): number => Math.floor(Date.now() / 1000);

describe('POST /hooks/login', () => {
  let j: JobsHarness;
  let op: TestOp;
  let served: Served;
  beforeEach(async () => {
    j = await startJobsHarness((await testRedis()).url);
    const port = await freePort();
    op = await startTestOp(`http://127.0.0.1:${port}/callback`);
    served = await startServe(j, port, {
      OIDC_ISSUER: op.issuer,
      OIDC_CLIENT_ID: op.clientId,
      OIDC_CLIENT_SECRET: op.clientSecret,
      OIDC_REDIRECT_URI: `http://127.0.0.1:${port}/callback`,
    });
  });
  afterEach(async () => {
    await served.close();
    await op.close();
    await j.close();
  });
  afterAll(async () => (await testRedis()).stop());

  const post = (body: string, headers: Record<string, string>) =>
    served.app.inject({
      method: 'POST',
      url: '/hooks/login',
      headers: { 'content-type': 'application/json', ...headers },
      payload: body,
    });
  const jobs = async () => j.queue.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed']);
  const claims = (extra: Record<string, unknown> = {}) => ({
    iss: op.issuer,
    aud: op.clientId,
    sub: 'alice',
    iat: nowSec(),
    exp: nowSec() + 300,
    ...extra,
  });
  const aliceBody = JSON.stringify({ source: 'file', subject: 'alice' });

  describe('with a bearer ID token', () => {
    it('accepts a valid token: 202 with the job id of a sync-user job', async () => {
      const response = await post(aliceBody, {
        authorization: `Bearer ${await op.sign(claims())}`,
      });
      expect(response.statusCode).toBe(202);
      const { jobId } = response.json<{ jobId: string }>();
      const job = await j.queue.getJob(jobId);
      expect([job?.name, job?.data]).toEqual(['sync-user', { source: 'file', subject: 'alice' }]);
    });

    const refused: [string, () => Promise<string>][] = [
      [
        'tampered',
        async () => {
          const [h, , s] = (await op.sign(claims())).split('.');
          return `${h}.${b64(claims({ sub: 'mallory' }))}.${s}`;
        },
      ],
      ['expired', () => op.sign(claims({ iat: nowSec() - 900, exp: nowSec() - 60 }))],
      ['wrong audience', () => op.sign(claims({ aud: 'another-client' }))],
      ['wrong issuer', () => op.sign(claims({ iss: 'https://evil.example' }))],
      [
        'unsigned (alg none)',
        () => Promise.resolve(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`),
      ],
      [
        'signed by a key the issuer does not publish',
        () => op.sign(claims(), { key: op.strangerKey }),
      ],
      [
        'issued more than 5 minutes in the future',
        () => op.sign(claims({ iat: nowSec() + 600, exp: nowSec() + 900 })),
      ],
      [
        'without iat',
        () => op.sign({ iss: op.issuer, aud: op.clientId, sub: 'alice', exp: nowSec() + 300 }),
      ],
      ['not a JWT', () => Promise.resolve('garbage')],
    ];
    for (const [name, token] of refused) {
      it(`refuses a token that is ${name}: 401, no job`, async () => {
        const response = await post(aliceBody, { authorization: `Bearer ${await token()}` });
        expect(response.statusCode).toBe(401);
        expect(await jobs()).toEqual([]);
      });
    }

    it('refuses a valid token asking for someone else: 403, no job', async () => {
      const response = await post(JSON.stringify({ source: 'file', subject: 'bob' }), {
        authorization: `Bearer ${await op.sign(claims())}`,
      });
      expect(response.statusCode).toBe(403);
      expect(await jobs()).toEqual([]);
    });
  });

  describe('with an HMAC signature', () => {
    const signed = (body: string, t = nowSec(), secret = hookSecret) => ({
      'x-idp-sync-signature': signBody(secret, body, t),
    });

    it('accepts a valid signature once; the replay is refused with 401', async () => {
      const headers = signed(aliceBody);
      const first = await post(aliceBody, headers);
      expect(first.statusCode).toBe(202);
      const replay = await post(aliceBody, headers);
      expect(replay.statusCode).toBe(401);
      expect(await jobs()).toHaveLength(1);
    });

    it('accepts {source, email}', async () => {
      const body = JSON.stringify({ source: 'file', email: 'Alice@Example.com' });
      const response = await post(body, signed(body));
      expect(response.statusCode).toBe(202);
    });

    it('refuses a stale timestamp, a wrong secret and a missing signature: 401, no job', async () => {
      expect((await post(aliceBody, signed(aliceBody, nowSec() - 301))).statusCode).toBe(401);
      expect((await post(aliceBody, signed(aliceBody, nowSec() + 301))).statusCode).toBe(401);
      expect((await post(aliceBody, signed(aliceBody, nowSec(), 'x'.repeat(40)))).statusCode).toBe(
        401,
      );
      expect((await post(aliceBody, {})).statusCode).toBe(401);
      expect((await post(aliceBody, { 'x-idp-sync-signature': 't=1,v1=zz' })).statusCode).toBe(401);
      expect(await jobs()).toEqual([]);
    });

    it('answers 400 with the reason for a malformed body', async () => {
      for (const [body, reason] of [
        ['not json', 'not JSON'],
        [JSON.stringify({ source: 'file' }), 'expected {"source","subject"}'],
        [JSON.stringify({ source: 'file', email: 'not-an-email' }), 'email'],
        [JSON.stringify({ source: 'entra', subject: 'alice' }), 'source entra is not configured'],
      ] as const) {
        const response = await post(body, signed(body));
        expect(response.statusCode).toBe(400);
        expect(response.json<{ error: string }>().error).toContain(reason);
      }
      expect(await jobs()).toEqual([]);
    });

    it('answers hostile bodies with 400 or 413 — never a 500, never a job', async () => {
      const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
      const bodies: [string, string][] = [
        ['wrong types', JSON.stringify({ source: 42, subject: ['alice'] })],
        ['an array', JSON.stringify([{ source: 'file', subject: 'alice' }])],
        ['null', 'null'],
        ['deep nesting', deep],
        [
          'a prototype-polluting key',
          '{"source":"file","subject":"alice","__proto__":{"admin":true}}',
        ],
        ['a NUL in the subject', JSON.stringify({ source: 'file', subject: 'ali\u0000ce' })],
        [
          'an RTL override in the source',
          JSON.stringify({ source: '\u202efile', subject: 'alice' }),
        ],
        ['10 MB', JSON.stringify({ source: 'file', subject: 'x'.repeat(10 * 1024 * 1024) })],
        ['a lone surrogate', '{"source":"file","subject":"\\ud800"}'],
      ];
      for (const [name, body] of bodies) {
        const response = await post(body, signed(body));
        expect([400, 413], name).toContain(response.statusCode);
      }
      expect(({} as Record<string, unknown>)['admin']).toBeUndefined();
      expect(await jobs()).toEqual([]);
    });

    it('refuses a body over 64 KiB', async () => {
      const body = JSON.stringify({ source: 'file', subject: 'alice', pad: 'x'.repeat(70_000) });
      const response = await post(body, signed(body));
      expect(response.statusCode).toBe(413);
      expect(await jobs()).toEqual([]);
    });
  });
});

describe('signBody', () => {
  beforeAll(() => undefined);
  it('is hex HMAC-SHA256 of "<t>.<raw body>"', async () => {
    const { createHmac } = await import('node:crypto');
    const expected = createHmac('sha256', 's').update('12.{"a":1}').digest('hex');
    expect(signBody('s', '{"a":1}', 12)).toBe(`t=12,v1=${expected}`);
  });
});
