import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';

import { startJobsHarness, waitFor, type JobsHarness } from '../helpers/jobs.js';
import { testRedis } from '../helpers/redis.js';
import type { Directory } from '../helpers/harness.js';
import { freePort, metricValue, oktaSecret, startServe, type Served } from './serve-harness.js';

const directory: Directory = {
  users: [
    { id: 'alice', email: 'alice@example.com' },
    { id: 'bob', email: 'bob@example.com' },
  ],
  groups: [{ id: 'g-eng', name: 'ai-eng', members: ['alice', 'bob'] }],
};

/** An Okta event hook delivery, as Okta posts it. */
const delivery = (events: unknown[]) => ({
  eventType: 'com.okta.event_hook',
  eventTypeVersion: '1.0',
  cloudEventsVersion: '0.1',
  source: 'https://example.okta.com/api/v1/eventHooks/who0',
  eventId: 'f0c5b0e6',
  data: { events },
  eventTime: new Date().toISOString(),
  contentType: 'application/json',
});

describe('/hooks/okta', () => {
  let j: JobsHarness;
  let served: Served;
  beforeEach(async () => {
    j = await startJobsHarness((await testRedis()).url);
    j.h.writeDirectory(directory);
    // The file source stands in for Okta (OKTA_EVENT_HOOK_SOURCE=file): the hook only names users.
    served = await startServe(j, await freePort());
  });
  afterEach(async () => {
    await served.close();
    await j.close();
  });
  afterAll(async () => (await testRedis()).stop());

  it('answers the one-time verification challenge', async () => {
    const response = await served.app.inject({
      method: 'GET',
      url: '/hooks/okta',
      headers: { authorization: oktaSecret, 'x-okta-verification-challenge': 'chal-123' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ verification: 'chal-123' });
  });

  it('refuses a call without the shared secret', async () => {
    for (const authorization of [undefined, 'wrong', `${oktaSecret}x`]) {
      const response = await served.app.inject({
        method: 'POST',
        url: '/hooks/okta',
        headers: {
          'content-type': 'application/json',
          ...(authorization === undefined ? {} : { authorization }),
        },
        payload: JSON.stringify(delivery([])),
      });
      expect(response.statusCode).toBe(401);
    }
    expect(await j.queue.count()).toBe(0);
  });

  it('turns a membership removal into a re-read that removes the grant', async () => {
    const worker = j.startWorker();
    await j.h.sync();
    const members = () =>
      j.h.sim
        .state()
        .teams.find(t => t.team_alias === 'ai-eng')
        ?.members_with_roles.map(m => m.user_id) ?? [];
    expect(members()).toEqual(expect.arrayContaining(['alice', 'bob']));
    // Okta removed alice from the group; the event is only a hint, the worker re-reads her.
    j.h.writeDirectory({
      ...directory,
      groups: [{ id: 'g-eng', name: 'ai-eng', members: ['bob'] }],
    });
    const response = await served.app.inject({
      method: 'POST',
      url: '/hooks/okta',
      headers: { 'content-type': 'application/json', authorization: oktaSecret },
      payload: JSON.stringify(
        delivery([
          {
            uuid: 'e1',
            eventType: 'group.user_membership.remove',
            actor: { id: '00uadmin', type: 'User' },
            target: [
              { id: 'alice', type: 'User', alternateId: 'alice@example.com' },
              { id: 'g-eng', type: 'UserGroup' },
            ],
          },
          {
            uuid: 'e2',
            eventType: 'user.account.update_profile',
            target: [{ id: 'bob', type: 'User' }],
          },
        ]),
      ),
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ users: 1, queued: 1 });
    await j.waitIdle();
    expect(members()).toContain('bob');
    expect(members()).not.toContain('alice');
    expect(j.runs('user').map(r => [r.subject, r.status])).toEqual([['alice', 'succeeded']]);
    // The full run above is the last complete snapshot of the source.
    const metrics = await (await fetch(`${served.url}/metrics`)).text();
    expect(
      metricValue(metrics, 'idp_sync_snapshot_age_seconds{source="file"}'),
    ).toBeGreaterThanOrEqual(0);
    expect(
      metricValue(metrics, 'idp_sync_login_requests_total{route="okta",outcome="accepted"}'),
    ).toBe(1);
    await waitFor(
      async () => {
        const text = await (await fetch(`${served.url}/metrics`)).text();
        return (
          (metricValue(text, 'idp_sync_operations_total{kind="removeMember",outcome="ok"}') ?? 0) >=
          1
        );
      },
      5000,
      'operations from the job result',
    );
    await worker.close(0, 1000);
  });

  it('reads session starts from the actor and lifecycle events from the target', async () => {
    const response = await served.app.inject({
      method: 'POST',
      url: '/hooks/okta',
      headers: { 'content-type': 'application/json', authorization: oktaSecret },
      payload: JSON.stringify(
        delivery([
          { eventType: 'user.session.start', actor: { id: 'alice', type: 'User' }, target: null },
          {
            eventType: 'user.lifecycle.deactivate',
            actor: { id: 'admin', type: 'User' },
            target: [{ id: 'bob', type: 'User' }],
          },
        ]),
      ),
    });
    expect(response.json()).toEqual({ users: 2, queued: 2 });
    const data = (await j.queue.getJobs(['delayed', 'waiting']))
      .map(job => job.data)
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    expect(data).toEqual([
      { source: 'file', subject: 'alice' },
      { source: 'file', subject: 'bob' },
    ]);
  });
});
