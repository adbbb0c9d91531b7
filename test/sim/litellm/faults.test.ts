import { afterEach, describe, expect, it } from 'vitest';

import type { LiteLLMSimulator, SimWrite } from '../../../src/sim/litellm/types.js';
import { clientFor, startSim, type SimClient } from './sim-client.js';

let sim: LiteLLMSimulator;
let api: SimClient;

afterEach(async () => {
  await sim.close();
});

describe('fault rules', () => {
  it('a faulted write changes nothing and is not logged', async () => {
    ({ sim, api } = await startSim({
      faults: [{ method: 'POST', path: '/team/new', status: 500, times: 1 }],
    }));
    const failed = await api.post('/team/new', { team_id: 't' });
    expect(failed.status).toBe(500);
    expect(failed.body.error).toMatchObject({ type: 'internal_server_error', code: '500' });
    expect(sim.state()).toEqual({ teams: [], users: [], keys: [] });
    expect(sim.writes()).toEqual([]);
    // `times: 1` is spent: the retry goes through.
    expect((await api.post('/team/new', { team_id: 't' })).status).toBe(200);
    expect(sim.writes().map(w => w.path)).toEqual(['/team/new']);
  });

  it('answers 429 in LiteLLM shape with Retry-After, after the allowed calls', async () => {
    ({ sim, api } = await startSim({
      faults: [{ path: '/v2/team/*', status: 429, afterCalls: 2, times: 2 }],
    }));
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const res = await api.get('/v2/team/list');
      statuses.push(res.status);
      if (res.status === 429) {
        expect(res.headers.get('retry-after')).toBe('1');
        expect(res.body.error).toMatchObject({ code: '429', param: 'None' });
      }
    }
    expect(statuses).toEqual([200, 200, 429, 429, 200]);
    expect(sim.calls()['GET /v2/team/list']).toBe(5);
  });

  it('draws probabilities from the seed, so the same seed repeats the same pattern', async () => {
    const pattern = async (seed: number) => {
      ({ sim, api } = await startSim({ seed, faults: [{ status: 503, probability: 0.5 }] }));
      const out: number[] = [];
      for (let i = 0; i < 20; i += 1) {
        out.push((await api.get('/team/list')).status);
      }
      await sim.close();
      return out;
    };
    const first = await pattern(7);
    const second = await pattern(7);
    expect(first).toEqual(second);
    expect(first).toContain(503);
    expect(first).toContain(200);
    ({ sim, api } = await startSim());
  });

  it('holds a response for hangMs so a client times out', async () => {
    ({ sim, api } = await startSim());
    sim.setFaults([{ path: '/team/list', status: 200, body: [], hangMs: 2000 }]);
    const started = Date.now();
    const call = fetch(`${sim.url}/team/list`, { signal: AbortSignal.timeout(150) });
    await expect(call).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(1500);
    sim.clearFaults();
    expect((await api.get('/team/list')).status).toBe(200);
  });

  it('adds the configured latency to each call', async () => {
    ({ sim, api } = await startSim({ latencyMs: 60 }));
    const started = Date.now();
    await api.get('/team/list');
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    sim.setLatency(0);
  });
});

describe('hooks and the write log', () => {
  it('logs each successful write once and calls onWrite with a running count', async () => {
    const seen: [string, number][] = [];
    ({ sim, api } = await startSim({
      onWrite: (write: SimWrite, count: number) => {
        seen.push([write.path, count]);
      },
    }));
    await api.post('/team/new', { team_id: 't' });
    await api.post('/team/new', { team_id: 't' }); // 400: not a write
    await api.get('/team/list'); // read: not a write
    await api.post('/team/member_add', { team_id: 't', member: { user_id: 'u', role: 'user' } });
    expect(seen).toEqual([
      ['/team/new', 1],
      ['/team/member_add', 2],
    ]);
    const log = sim.writes();
    expect(log.map(w => [w.seq, w.path, w.status])).toEqual([
      [1, '/team/new', 200],
      [2, '/team/member_add', 200],
    ]);
    expect(log[0]?.body).toEqual({ team_id: 't' });
  });

  it('awaits the onWrite hook before answering: the write is committed, the ack withheld', async () => {
    let release = () => {};
    const gate = new Promise<void>(resolve => {
      release = resolve;
    });
    ({ sim, api } = await startSim({ onWrite: () => gate }));
    const pending = api.post('/team/new', { team_id: 't' });
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(sim.state().teams).toHaveLength(1);
    release();
    expect((await pending).status).toBe(200);
  });

  it('counts requests in onRequest and resets everything on reset()', async () => {
    const counts: number[] = [];
    ({ sim, api } = await startSim({ onRequest: (_info, count) => counts.push(count) }));
    await api.post('/team/new', { team_id: 't' });
    await api.get('/nope');
    expect(counts).toEqual([1, 2]);
    sim.reset();
    expect(sim.state().teams).toEqual([]);
    expect(sim.writes()).toEqual([]);
    expect(sim.calls()).toEqual({});
  });
});

describe('/__sim control routes', () => {
  it('are absent unless control is on', async () => {
    ({ sim, api } = await startSim());
    expect((await clientFor(sim.url, null).get('/__sim/state')).status).toBe(404);
  });

  it('dump state, writes and calls, and set faults, without the master key', async () => {
    ({ sim, api } = await startSim({ control: true }));
    const ctl = clientFor(sim.url, null);
    await api.post('/team/new', { team_id: 't' });
    expect((await ctl.get('/__sim/state')).body.teams[0].team_id).toBe('t');
    expect((await ctl.get('/__sim/writes')).body).toHaveLength(1);
    expect((await ctl.get('/__sim/calls')).body).toEqual({ 'POST /team/new': 1 });
    const set = await ctl.post('/__sim/faults', [{ path: '/team/list', status: 502 }]);
    expect(set.body).toEqual({ rules: 1 });
    expect((await api.get('/team/list')).status).toBe(502);
    expect((await ctl.post('/__sim/faults', [{ status: 'x' }])).status).toBe(400);
    await fetch(`${sim.url}/__sim/faults`, { method: 'DELETE' });
    expect((await api.get('/team/list')).status).toBe(200);
    await ctl.post('/__sim/reset');
    expect((await ctl.get('/__sim/state')).body.teams).toEqual([]);
  });
});
