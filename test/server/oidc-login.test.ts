import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';

import { startJobsHarness, waitFor, type JobsHarness } from '../helpers/jobs.js';
import { testRedis } from '../helpers/redis.js';
import type { Directory } from '../helpers/harness.js';
import { cookieJar, followRedirects, startTestOp, type TestOp } from './op.js';
import { freePort, metricValue, postLoginUrl, startServe, type Served } from './serve-harness.js';

const directory: Directory = {
  users: [
    { id: 'alice', email: 'alice@example.com' },
    { id: 'bob', email: 'bob@example.com' },
  ],
  groups: [{ id: 'g-eng', name: 'ai-eng', members: ['alice', 'bob'] }],
};

describe('OIDC sign-in against a real OpenID Provider', () => {
  let j: JobsHarness;
  let op: TestOp;
  let served: Served;
  beforeEach(async () => {
    j = await startJobsHarness((await testRedis()).url);
    j.h.writeDirectory(directory);
    const port = await freePort();
    op = await startTestOp(`http://127.0.0.1:${port}/callback`);
    served = await startServe(j, port, {
      OIDC_ISSUER: op.issuer,
      OIDC_CLIENT_ID: op.clientId,
      OIDC_CLIENT_SECRET: op.clientSecret,
      OIDC_REDIRECT_URI: `http://127.0.0.1:${port}/callback`,
      LOGIN_SYNC_WAIT_MS: '10000',
    });
  });
  afterEach(async () => {
    await served.close();
    await op.close();
    await j.close();
  });
  afterAll(async () => (await testRedis()).stop());

  it('/login → provider → /callback → job → memberships applied in LiteLLM → redirect', async () => {
    j.startWorker();
    op.account = 'alice';
    const { hops, final } = await followRedirects(`${served.url}/login`, postLoginUrl);
    expect(final).toBe(postLoginUrl);
    // Through the provider and back to our callback, which redirected only once the job ended.
    expect(hops[0]?.url).toBe(`${served.url}/login`);
    expect(hops.some(h => h.url.startsWith(`${op.issuer}/auth`))).toBe(true);
    expect(hops.at(-1)?.url.startsWith(`${served.url}/callback?code=`)).toBe(true);
    const team = j.h.sim.state().teams.find(t => t.team_alias === 'ai-eng');
    const members = team?.members_with_roles.map(m => m.user_id);
    expect(members).toContain('alice');
    expect(members).not.toContain('bob');
    expect(j.runs('user').map(r => [r.subject, r.trigger, r.status])).toEqual([
      ['alice', 'login', 'succeeded'],
    ]);
    const metrics = await (await fetch(`${served.url}/metrics`)).text();
    expect(
      metricValue(
        metrics,
        'idp_sync_login_requests_total{route="callback",outcome="redirected_completed"}',
      ),
    ).toBe(1);
    await waitFor(
      async () => {
        const text = await (await fetch(`${served.url}/metrics`)).text();
        return (
          metricValue(text, 'idp_sync_login_to_applied_seconds_count') === 1 &&
          metricValue(text, 'idp_sync_jobs_total{name="sync-user",outcome="succeeded"}') === 1
        );
      },
      5000,
      'job metrics from the queue events',
    );
  });

  it('keys the sync on the configured subject claim, never on a groups claim', async () => {
    j.startWorker();
    op.account = 'bob';
    await followRedirects(`${served.url}/login`, postLoginUrl);
    expect(j.runs('user').map(r => r.subject)).toEqual(['bob']);
  });

  it('still redirects when the provider is down at the callback; logs and counts it', async () => {
    const jar = cookieJar();
    // Drive the flow up to the provider's redirect to our callback, then take the provider away.
    const { final } = await followRedirects(`${served.url}/login`, `${served.url}/callback`, jar);
    await op.close();
    const response = await fetch(final, {
      redirect: 'manual',
      headers: { cookie: jar.header(final) },
    });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(postLoginUrl);
    expect(served.logs().some(l => l.includes('sign-in could not be completed'))).toBe(true);
    const metrics = await served.app.inject({ method: 'GET', url: '/metrics' });
    expect(
      metricValue(
        metrics.body,
        'idp_sync_login_requests_total{route="callback",outcome="idp_error"}',
      ),
    ).toBe(1);
    expect(await j.queue.getJobCounts('waiting', 'delayed', 'active', 'completed')).toEqual({
      waiting: 0,
      delayed: 0,
      active: 0,
      completed: 0,
    });
  });

  it('still redirects from /login when the provider is down', async () => {
    await op.close();
    const response = await fetch(`${served.url}/login`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(postLoginUrl);
  });

  it('refuses a callback whose login cookie was tampered with (no job, still redirected)', async () => {
    const jar = cookieJar();
    const { final } = await followRedirects(`${served.url}/login`, `${served.url}/callback`, jar);
    const cookie = jar
      .header(final)
      .replace(/idp_sync_login=([^;.]+)\.[^;]+/, 'idp_sync_login=$1.forged');
    const response = await fetch(final, { redirect: 'manual', headers: { cookie } });
    expect(response.headers.get('location')).toBe(postLoginUrl);
    expect(await j.queue.count()).toBe(0);
  });
});
