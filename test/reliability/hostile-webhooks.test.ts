/**
 * Issue 11, part 4 (webhook bodies): the login-hook server listening on a real port, sent
 * hostile bodies with `fetch` — so fastify's body limit, content-type handling and socket
 * handling are in the path, not only the handlers. Every login-hook body is HMAC-signed, so it
 * gets past authentication and reaches the parser; every Okta body carries the hook secret.
 * Each must be answered with the status the server defines (400 malformed, 401 unauthenticated,
 * 413 too large) and never 500, queue no job, and leave the server answering a valid call 202.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { signBody } from '../../src/server/hmac.js';
import { startJobsHarness, type JobsHarness } from '../helpers/jobs.js';
import { testRedis } from '../helpers/redis.js';
import {
  freePort,
  hookSecret,
  oktaSecret,
  startServe,
  type Served,
} from '../server/serve-harness.js';

const nowSec = (): number => Math.floor(Date.now() / 1000);
const json = (value: unknown): string => JSON.stringify(value);
const login = (subject: string): string => json({ source: 'file', subject });
/** Nested arrays, `levels` deep. */
const nested = (levels: number): string => `${'['.repeat(levels)}${']'.repeat(levels)}`;

/** A hostile body: text, or raw bytes for what is not UTF-8. */
type Hostile = { readonly name: string; readonly body: string | Buffer; readonly status: number };

const loginBodies: readonly Hostile[] = [
  { name: 'not JSON', body: 'source=file&subject=alice', status: 400 },
  { name: 'truncated JSON', body: '{"source":"file","subject":"al', status: 400 },
  { name: 'an empty body', body: '', status: 400 },
  { name: 'wrong types', body: json({ source: 42, subject: ['alice'] }), status: 400 },
  { name: 'a bare array', body: json([{ source: 'file', subject: 'alice' }]), status: 400 },
  { name: 'a JSON string', body: json('alice'), status: 400 },
  { name: '10 MB', body: login('x'.repeat(10 * 1024 * 1024)), status: 413 },
  // 100k levels is 200 KB, over the 64 KiB limit; 30k levels fits and reaches JSON.parse.
  { name: '100k levels of nesting', body: nested(100_000), status: 413 },
  { name: '30k levels of nesting', body: nested(30_000), status: 400 },
  {
    name: 'nesting inside the subject',
    body: `{"source":"file","subject":${nested(30_000)}}`,
    status: 400,
  },
  { name: 'an RTL override', body: login('\u202eecila'), status: 400 },
  { name: 'a right-to-left mark', body: login('alice\u200f'), status: 400 },
  { name: 'a zero-width joiner', body: login('ali\u200dce'), status: 400 },
  { name: 'a zero-width space', body: login('\u200balice'), status: 400 },
  // Inside the id: around it, a BOM is whitespace to `trim`, like a space, and trimmed away.
  { name: 'a byte-order mark', body: login('ali\ufeffce'), status: 400 },
  { name: 'a NUL', body: login('alice\u0000'), status: 400 },
  { name: 'a lone surrogate', body: '{"source":"file","subject":"ali\\ud800ce"}', status: 400 },
  {
    name: 'an overlong encoding of "/" (C0 AF)',
    body: Buffer.concat([
      Buffer.from('{"source":"file","subject":"..'),
      Buffer.from([0xc0, 0xaf]),
      Buffer.from('etc"}'),
    ]),
    status: 400,
  },
  {
    name: 'a byte that is never UTF-8 (FF)',
    body: Buffer.concat([
      Buffer.from('{"source":"file","subject":"al'),
      Buffer.from([0xff]),
      Buffer.from('ice"}'),
    ]),
    status: 400,
  },
  {
    name: 'duplicate keys',
    body: '{"source":"file","subject":"alice","subject":"mallory"}',
    status: 400,
  },
  {
    name: 'a __proto__ key',
    body: '{"source":"file","subject":"alice","__proto__":{"admin":true}}',
    status: 400,
  },
  {
    name: 'a constructor key',
    body: '{"source":"file","subject":"alice","constructor":{"prototype":{"admin":true}}}',
    status: 400,
  },
];

const oktaBody = (target: unknown): string =>
  json({ data: { events: [{ eventType: 'user.lifecycle.suspend', target: [target] }] } });

const oktaBodies: readonly Hostile[] = [
  { name: 'not JSON', body: 'data=events', status: 400 },
  { name: 'truncated JSON', body: '{"data":{"events":[{"eventType":', status: 400 },
  { name: 'an empty body', body: '', status: 400 },
  { name: 'wrong types', body: json({ data: { events: 'user.session.start' } }), status: 400 },
  { name: 'a number for an id', body: oktaBody({ id: 7, type: 'User' }), status: 400 },
  {
    name: '10 MB',
    body: oktaBody({ id: 'x'.repeat(10 * 1024 * 1024), type: 'User' }),
    status: 413,
  },
  { name: '100k levels of nesting', body: nested(100_000), status: 413 },
  { name: '30k levels of nesting', body: `{"data":${nested(30_000)}}`, status: 400 },
  {
    name: 'an RTL override in an id',
    body: oktaBody({ id: '\u202e00u1', type: 'User' }),
    status: 400,
  },
  {
    name: 'a zero-width joiner in an id',
    body: oktaBody({ id: '00u\u200d1', type: 'User' }),
    status: 400,
  },
  { name: 'a NUL in an id', body: oktaBody({ id: '00u1\u0000', type: 'User' }), status: 400 },
  {
    name: 'bytes that are not UTF-8',
    body: Buffer.concat([
      Buffer.from(oktaBody({ id: '00u1', type: 'User' }).slice(0, -4)),
      Buffer.from([0xc0, 0xaf]),
      Buffer.from(']}}'),
    ]),
    status: 400,
  },
  {
    name: 'a __proto__ key',
    body: '{"__proto__":{"admin":true},"data":{"events":"x"}}',
    status: 400,
  },
];

describe('hostile webhook bodies over HTTP', () => {
  let j: JobsHarness;
  let served: Served;

  beforeAll(async () => {
    j = await startJobsHarness((await testRedis()).url);
    served = await startServe(j, await freePort());
  });
  afterAll(async () => {
    await served.close();
    await j.close();
    await (await testRedis()).stop();
  });

  const jobs = () => j.queue.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed']);

  /** POSTs `body` for real; a server that cuts an oversized upload short still answers 413. */
  const post = async (
    path: string,
    body: string | Buffer,
    headers: Record<string, string>,
  ): Promise<number> => {
    const response = await fetch(`${served.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    await response.arrayBuffer();
    return response.status;
  };
  const signed = (body: string | Buffer) => ({
    'x-idp-sync-signature': signBody(hookSecret, body, nowSec()),
  });

  /** A valid signed login call still gets through: the server is healthy. */
  const expectHealthy = async (subject: string) => {
    const body = login(subject);
    expect(await post('/hooks/login', body, signed(body))).toBe(202);
  };

  it.each(loginBodies)('POST /hooks/login with $name: $status, no job', async hostile => {
    const before = (await jobs()).length;
    expect(await post('/hooks/login', hostile.body, signed(hostile.body))).toBe(hostile.status);
    expect((await jobs()).length).toBe(before);
    expect(({} as Record<string, unknown>)['admin']).toBeUndefined();
    await expectHealthy(`healthy-${loginBodies.indexOf(hostile)}`);
  });

  it.each(oktaBodies)('POST /hooks/okta with $name: $status, no job', async hostile => {
    const before = (await jobs()).length;
    expect(await post('/hooks/okta', hostile.body, { authorization: oktaSecret })).toBe(
      hostile.status,
    );
    expect((await jobs()).length).toBe(before);
    expect(({} as Record<string, unknown>)['admin']).toBeUndefined();
    await expectHealthy(`okta-healthy-${oktaBodies.indexOf(hostile)}`);
  });

  it('refuses hostile bodies without credentials with 401 before reading them as JSON', async () => {
    const before = (await jobs()).length;
    for (const hostile of [...loginBodies, ...oktaBodies].filter(h => h.status === 400)) {
      expect(await post('/hooks/login', hostile.body, {}), hostile.name).toBe(401);
      expect(await post('/hooks/okta', hostile.body, {}), hostile.name).toBe(401);
    }
    expect((await jobs()).length).toBe(before);
  });

  it('treats the content type as a label: a signed JSON body is read whatever it says', async () => {
    // Both hooks read the raw bytes themselves (the HMAC covers exactly them), so the body is
    // JSON by contract and the header decides nothing; what is not JSON is a 400 either way.
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'image/png']) {
      const body = login(`typed-${type}`);
      expect(await post('/hooks/login', body, { ...signed(body), 'content-type': type })).toBe(202);
      const form = `source=file&subject=${encodeURIComponent(type)}`;
      expect(await post('/hooks/login', form, { ...signed(form), 'content-type': type })).toBe(400);
    }
  });

  it('keeps a look-alike subject as sent: a job for "\u0430lice", never one for "alice"', async () => {
    // A Cyrillic "а" makes a different, visible id: refusing it would refuse real names, and
    // folding it into "alice" would sync the wrong user. The worker re-reads it from the IdP.
    const before = new Set((await jobs()).map(job => job.id));
    const body = login('\u0430lice');
    expect(await post('/hooks/login', body, signed(body))).toBe(202);
    const subjects = (await jobs())
      .filter(job => !before.has(job.id))
      .map(job => (job.data as { subject?: string }).subject);
    expect(subjects).toContain('\u0430lice');
    expect(subjects).not.toContain('alice');
  });
});
