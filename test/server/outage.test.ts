import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';

import { startJobsHarness, waitFor, type JobsHarness } from '../helpers/jobs.js';
import { startPrivateRedis, type PrivateRedis } from '../helpers/redis.js';
import type { Directory } from '../helpers/harness.js';
import { cookieJar, followRedirects, startTestOp, type TestOp } from './op.js';
import { freePort, metricValue, postLoginUrl, startServe, type Served } from './serve-harness.js';

const directory: Directory = {
  users: [{ id: 'alice', email: 'alice@example.com' }],
  groups: [{ id: 'g-eng', name: 'ai-eng', members: ['alice'] }],
};

async function answers(url: string): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

describe('when Redis is down', () => {
  type World = { redis: PrivateRedis; j: JobsHarness; op: TestOp; served: Served };
  let world: Partial<World> = {};
  const start = async (): Promise<World> => {
    world = {};
    const redis = (world.redis = await startPrivateRedis());
    const j = (world.j = await startJobsHarness(redis.url));
    j.h.writeDirectory(directory);
    const port = await freePort();
    const op = (world.op = await startTestOp(`http://127.0.0.1:${port}/callback`));
    const served = (world.served = await startServe(j, port, {
      OIDC_ISSUER: op.issuer,
      OIDC_CLIENT_ID: op.clientId,
      OIDC_CLIENT_SECRET: op.clientSecret,
      OIDC_REDIRECT_URI: `http://127.0.0.1:${port}/callback`,
    }));
    return { redis, j, op, served };
  };
  afterEach(async () => {
    // A piece may be missing if start() failed part-way; close what exists, in order.
    await world.served?.close();
    await world.op?.close();
    await world.j?.close().catch(() => undefined);
    await world.redis?.stop();
  });

  it('/healthz stays up, /readyz fails naming Redis, and comes back with it', async () => {
    const { redis, served } = await start();
    await waitFor(
      async () => (await served.app.inject({ url: '/readyz' })).statusCode === 200,
      5000,
      'ready',
    );
    const restarting = redis.restart({ downMs: 1500 });
    await waitFor(async () => !(await answers(redis.url)), 5000, 'redis down');
    expect((await served.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    const ready = await served.app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    const checks = ready.json<{ checks: Record<string, string> }>().checks;
    expect(checks['redis']).toMatch(/^failed/);
    expect([checks['store'], checks['litellm']]).toEqual(['ok', 'ok']);
    await restarting;
    await waitFor(
      async () => (await served.app.inject({ url: '/readyz' })).statusCode === 200,
      10_000,
      'ready again',
    );
  });

  it('still redirects at the callback, logs and counts it, and queues the sync once Redis is back', async () => {
    const { redis, j, op, served } = await start();
    j.startWorker();
    op.account = 'alice';
    const jar = cookieJar();
    const { final } = await followRedirects(`${served.url}/login`, `${served.url}/callback`, jar);
    const restarting = redis.restart({ downMs: 1500 });
    await waitFor(async () => !(await answers(redis.url)), 5000, 'redis down');
    const started = Date.now();
    const response = await fetch(final, {
      redirect: 'manual',
      headers: { cookie: jar.header(final) },
    });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(postLoginUrl);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(served.logs().some(l => l.includes('login sync could not be queued'))).toBe(true);
    const metrics = (await served.app.inject({ url: '/metrics' })).body;
    expect(
      metricValue(
        metrics,
        'idp_sync_login_requests_total{route="callback",outcome="queue_unavailable"}',
      ),
    ).toBe(1);
    expect(metricValue(metrics, 'idp_sync_jobs_enqueued_total{outcome="error"}')).toBe(1);
    await restarting;
    await waitFor(
      () => j.runs('user').some(r => r.subject === 'alice' && r.status === 'succeeded'),
      20_000,
      'the retried sync',
    );
    expect(
      j.h.sim
        .state()
        .teams.find(t => t.team_alias === 'ai-eng')
        ?.members_with_roles.map(m => m.user_id),
    ).toContain('alice');
    const after = (await served.app.inject({ url: '/metrics' })).body;
    expect(metricValue(after, 'idp_sync_jobs_enqueued_total{outcome="retried"}')).toBe(1);
  });
});
