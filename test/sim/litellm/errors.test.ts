import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { LiteLLMSimulator } from '../../../src/sim/litellm/types.js';
import {
  clientFor,
  MASTER_KEY,
  pluck,
  startSim,
  type Reply,
  type SimClient,
} from './sim-client.js';

let sim: LiteLLMSimulator;
let api: SimClient;

beforeEach(async () => {
  ({ sim, api } = await startSim());
});
afterEach(async () => {
  await sim.close();
});

/** Shape A: `{"error": {message, type, param, code}}` with `code` the status as a string. */
function expectShapeA(res: Reply, status: number, type: string) {
  expect(res.status).toBe(status);
  expect(Object.keys(res.body as object)).toEqual(['error']);
  expect(res.body.error).toMatchObject({ type, code: String(status) });
  expect(typeof res.body.error.message).toBe('string');
}

describe('authentication', () => {
  it('answers 401 shape A without a key, with a wrong key or a bare Authorization value', async () => {
    for (const client of [clientFor(sim.url, null), clientFor(sim.url, 'sk-wrong')]) {
      const res = await client.get('/v2/team/list');
      expectShapeA(res, 401, 'auth_error');
      expect(res.body.error.message).toMatch(/^Authentication Error, /);
    }
    const bare = await clientFor(sim.url, null).get('/team/list', { authorization: MASTER_KEY });
    expect(bare.status).toBe(401);
    expect(bare.body.error.message).toBe('Authentication Error, No api key passed in.');
  });

  it('accepts the master key in x-litellm-api-key, with or without Bearer', async () => {
    const anonymous = clientFor(sim.url, null);
    expect((await anonymous.get('/team/list', { 'x-litellm-api-key': MASTER_KEY })).status).toBe(
      200,
    );
    const prefixed = { 'x-litellm-api-key': `Bearer ${MASTER_KEY}` };
    expect((await anonymous.get('/team/list', prefixed)).status).toBe(200);
  });

  it('does not run a write for an unauthenticated caller', async () => {
    const res = await clientFor(sim.url, 'sk-nope').post('/team/new', { team_id: 't' });
    expect(res.status).toBe(401);
    expect(sim.state().teams).toEqual([]);
    expect(sim.writes()).toEqual([]);
  });
});

describe('shape A (ProxyException)', () => {
  it('/team/new with an existing id: 400 with the Python repr of the detail', async () => {
    await api.post('/team/new', { team_id: 'dup' });
    const res = await api.post('/team/new', { team_id: 'dup' });
    expectShapeA(res, 400, 'internal_server_error');
    expect(res.body.error.message).toBe(
      "{'error': 'Team id = dup already exists. Please use a different team id.'}",
    );
    expect(res.body.error.param).toBe('None');
  });

  it('/team/info: 404 and a missing team_id are auth_error', async () => {
    const missing = await api.get('/team/info?team_id=nope');
    expectShapeA(missing, 404, 'auth_error');
    expect(missing.body.error.message).toBe("{'message': 'Team not found, passed team id: nope.'}");
    expectShapeA(await api.get('/team/info'), 422, 'auth_error');
  });

  it('/team/update of an unknown team is 404', async () => {
    const res = await api.post('/team/update', { team_id: 'ghost', team_alias: 'x' });
    expectShapeA(res, 404, 'internal_server_error');
    expect(res.body.error.message).toBe("{'error': 'Team not found, passed team_id=ghost'}");
  });

  it('/key/info and /key/delete for unknown keys', async () => {
    const info = await api.get('/key/info?key=sk-unknown');
    expectShapeA(info, 404, 'not_found_error');
    expect(info.body.error.message).toBe('Key not found in database');
    const del = await api.post('/key/delete', { keys: ['sk-unknown'] });
    expectShapeA(del, 404, 'internal_server_error');
    expect(del.body.error.message).toBe("{'error': 'No keys found'}");
  });

  it('/user/update errors are auth_error', async () => {
    const res = await api.post('/user/update', { user_id: '' });
    expectShapeA(res, 400, 'auth_error');
    expect(res.body.error.message).toBe(
      'Authentication Error, Either user_id or user_email must be provided',
    );
  });
});

describe('shape B (raw HTTPException)', () => {
  it('/team/member_delete: 400 for a missing team and for a non-member', async () => {
    const noTeam = await api.post('/team/member_delete', { team_id: 'nope', user_id: 'u' });
    expect(noTeam.status).toBe(400);
    expect(noTeam.body).toEqual({ detail: { error: 'Team id=nope does not exist in db' } });
    await api.post('/team/new', { team_id: 't' });
    const notMember = await api.post('/team/member_delete', { team_id: 't', user_id: 'u' });
    expect(notMember.status).toBe(400);
    expect(notMember.body).toEqual({ detail: { error: 'User not found in team' } });
  });

  it('/team/delete validates every id first and deletes nothing on a miss', async () => {
    await api.post('/team/new', { team_id: 'keep' });
    const res = await api.post('/team/delete', { team_ids: ['keep', 'ghost'] });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ detail: { error: 'Team not found, passed team_id=ghost' } });
    expect(sim.state().teams.map(t => t.team_id)).toEqual(['keep']);
  });

  it('/team/member_add for an unknown team is 404', async () => {
    const res = await api.post('/team/member_add', {
      team_id: 'ghost',
      member: { user_id: 'u', role: 'user' },
    });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ detail: { error: 'Team not found for team_id=ghost' } });
  });
});

describe('shape C (request validation)', () => {
  it('a member without user_id or user_email is a 422 value_error on both union branches', async () => {
    await api.post('/team/new', { team_id: 't' });
    const res = await api.post('/team/member_add', { team_id: 't', member: { role: 'user' } });
    expect(res.status).toBe(422);
    expect(res.body.detail).toEqual([
      expect.objectContaining({ type: 'list_type', loc: ['body', 'member', 'list[Member]'] }),
      expect.objectContaining({
        type: 'value_error',
        loc: ['body', 'member', 'Member'],
        msg: 'Value error, Either user id or user email must be provided',
      }),
    ]);
  });

  it('a bad member role is a literal_error', async () => {
    await api.post('/team/new', { team_id: 't' });
    const res = await api.post('/team/member_add', {
      team_id: 't',
      member: [{ user_id: 'u', role: 'owner' }],
    });
    expect(res.status).toBe(422);
    expect(res.body.detail[0]).toMatchObject({
      type: 'literal_error',
      loc: ['body', 'member', 'list[Member]', 0, 'role'],
      msg: "Input should be 'admin' or 'user'",
      input: 'owner',
    });
  });

  it('missing required fields, wrong types and a bad user_role', async () => {
    const noTeamId = await api.post('/team/update', { team_alias: 'x' });
    expect(noTeamId.status).toBe(422);
    expect(noTeamId.body.detail).toEqual([
      {
        type: 'missing',
        loc: ['body', 'team_id'],
        msg: 'Field required',
        input: { team_alias: 'x' },
      },
    ]);
    const wrongType = await api.post('/team/new', { team_alias: 42, metadata: 'x', models: 'gpt' });
    expect(pluck(wrongType.body.detail, 'type')).toEqual(['string_type', 'dict_type', 'list_type']);
    const role = await api.post('/user/new', { user_id: 'u', user_role: 'superuser' });
    expect(role.status).toBe(422);
    expect(role.body.detail[0]).toMatchObject({
      type: 'literal_error',
      loc: ['body', 'user_role'],
    });
    expect(sim.state().users).toEqual([]);
  });

  it('malformed JSON is a 422 json_invalid even before authentication', async () => {
    const res = await clientFor(sim.url, null).postRaw('/team/new', '{"team_id": ');
    expect(res.status).toBe(422);
    expect(res.body.detail[0]).toMatchObject({ type: 'json_invalid', msg: 'JSON decode error' });
  });

  it('an empty body on a body route is one missing error at ["body"]', async () => {
    const res = await api.post('/team/delete');
    expect(res.status).toBe(422);
    expect(res.body.detail).toEqual([
      { type: 'missing', loc: ['body'], msg: 'Field required', input: null },
    ]);
  });
});

describe('routing', () => {
  it('answers FastAPI 404 and 405', async () => {
    expect(await api.get('/nope')).toMatchObject({ status: 404, body: { detail: 'Not Found' } });
    const wrongMethod = await api.get('/team/new');
    expect(wrongMethod).toMatchObject({ status: 405, body: { detail: 'Method Not Allowed' } });
  });
});
