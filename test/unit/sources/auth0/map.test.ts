import { describe, expect, it } from 'vitest';

import {
  isTeamInScope,
  organizationTeam,
  roleTeam,
  toIdpUser,
} from '../../../../src/sources/auth0/map.js';
import { endpointLabel } from '../../../../src/sources/auth0/transport.js';
import { compileScope } from '../../../../src/sources/scope.js';

describe('auth0 mapping', () => {
  it('treats blocked users as inactive and prefers username, then e-mail, as login', () => {
    expect(toIdpUser({ user_id: 'auth0|1', email: 'a@x.com', blocked: true })).toEqual({
      externalId: 'auth0|1',
      login: 'a@x.com',
      email: 'a@x.com',
      displayName: undefined,
      active: false,
    });
    expect(toIdpUser({ user_id: 'auth0|2', username: 'bee', name: 'Bee' })).toMatchObject({
      login: 'bee',
      displayName: 'Bee',
      active: true,
    });
  });

  it('names an organization by its display name and matches the scope on its slug too', () => {
    const team = organizationTeam({
      id: 'org_1',
      name: 'ai-research',
      display_name: 'AI Research',
    });
    expect(team.name).toBe('AI Research');
    expect(isTeamInScope(compileScope({ ids: [], namePrefix: 'ai-', all: false }), team)).toBe(
      true,
    );
    expect(
      isTeamInScope(
        compileScope({ ids: [], namePrefix: 'ai-', all: false }),
        roleTeam({ id: 'rol_1', name: 'finance' }),
      ),
    ).toBe(false);
  });

  it('labels endpoints with ids collapsed', () => {
    expect(endpointLabel('GET', 'https://t.auth0.com/api/v2/roles/rol_1/users?take=100')).toBe(
      'GET /api/v2/roles/{id}/users',
    );
    expect(endpointLabel('POST', 'http://127.0.0.1:1/oauth/token')).toBe('POST /oauth/token');
  });
});
