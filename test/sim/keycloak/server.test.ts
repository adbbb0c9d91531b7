/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-call -- a test reads JSON answers freely */
/**
 * The Keycloak simulator on the wire: client-credentials tokens (JWT-shaped, with exp), 401 for
 * missing, foreign and expired tokens, trailing slashes, paging and sub-groups.
 */
import { afterEach, describe, expect, it } from 'vitest';

import {
  createKeycloakSimulator,
  type KeycloakSimulator,
} from '../../../src/sim/keycloak/server.js';

let sim: KeycloakSimulator;
let clock = Date.parse('2026-01-01T00:00:00Z');
afterEach(() => sim.close());

async function start() {
  sim = await createKeycloakSimulator({
    now: () => clock,
    scenario: {
      realm: 'acme',
      clients: [{ clientId: 'sync', secret: 's3cret' }],
      users: Array.from({ length: 5 }, (_, i) => ({
        id: `u${i}`,
        username: `user${i}`,
        enabled: i > 0,
      })),
      groups: [
        { id: 'g1', name: 'parent', members: ['u1'], children: ['g2'] },
        { id: 'g2', name: 'child', members: ['u2'], children: [] },
      ],
    },
  });
}

async function token(secret = 's3cret') {
  const response = await fetch(`${sim.url}/realms/acme/protocol/openid-connect/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`sync:${secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials&client_id=sync',
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

const get = async (path: string, bearer?: string) => {
  const response = await fetch(`${sim.url}/admin/realms/acme${path}`, {
    headers: bearer === undefined ? {} : { authorization: `Bearer ${bearer}` },
  });
  return { status: response.status, body: (await response.json()) as any };
};

describe('keycloak simulator', () => {
  it('issues JWT-shaped tokens with exp and no refresh token', async () => {
    await start();
    const { status, body } = await token();
    expect(status).toBe(200);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 300, refresh_expires_in: 0 });
    expect(body.refresh_token).toBeUndefined();
    const claims = JSON.parse(
      Buffer.from(String(body.access_token).split('.')[1]!, 'base64url').toString(),
    );
    expect(claims.exp).toBe(Math.floor(clock / 1000) + 300);
    expect((await token('wrong')).body).toMatchObject({ error: 'invalid_client' });
  });

  it('answers 401 without a token, with a foreign one, and once it expired', async () => {
    await start();
    const at = String((await token()).body.access_token);
    expect((await get('/users')).status).toBe(401);
    expect((await get('/users', `${at}x`)).status).toBe(401);
    expect((await get('/users', at)).status).toBe(200);
    clock += 301_000;
    expect((await get('/users', at)).status).toBe(401);
  });

  it('accepts trailing slashes and pages with first/max', async () => {
    await start();
    const at = String((await token()).body.access_token);
    const first = await get('/users/?first=0&max=2&briefRepresentation=true', at);
    const second = await get('/users?first=2&max=2', at);
    expect(first.body.map((u: { id: string }) => u.id)).toEqual(['u0', 'u1']);
    expect(second.body.map((u: { id: string }) => u.id)).toEqual(['u2', 'u3']);
    expect(first.body[0].enabled).toBe(false);
    expect((await get('/users/count', at)).body).toBe(5);
  });

  it('lists top-level groups with subGroupCount, children and direct members', async () => {
    await start();
    const at = String((await token()).body.access_token);
    const top = await get('/groups/', at);
    expect(top.body).toHaveLength(1);
    expect(top.body[0]).toMatchObject({
      id: 'g1',
      path: '/parent',
      subGroupCount: 1,
      subGroups: [],
    });
    const children = await get('/groups/g1/children?first=0&max=10', at);
    expect(children.body[0]).toMatchObject({ id: 'g2', path: '/parent/child' });
    expect((await get('/groups/g1/members/', at)).body.map((u: { id: string }) => u.id)).toEqual([
      'u1',
    ]);
    expect((await get('/groups/nope/members', at)).status).toBe(404);
    expect((await get('/users?username=USER3&exact=true', at)).body[0].id).toBe('u3');
  });
});
