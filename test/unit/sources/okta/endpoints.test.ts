import { describe, expect, it } from 'vitest';

import { endpointKey } from '../../../../src/sources/okta/endpoints.js';

describe('Okta rate-limit buckets', () => {
  it.each([
    ['GET', 'https://x.okta.com/api/v1/groups?limit=200', 'groups', 'GET /api/v1/groups'],
    [
      'GET',
      'https://x.okta.com/api/v1/groups/00g1/users?after=00u9',
      'groups',
      'GET /api/v1/groups/{id}/users',
    ],
    ['GET', 'https://x.okta.com/api/v1/groups/00g1', 'group-by-id', 'GET /api/v1/groups/{id}'],
    ['GET', 'https://x.okta.com/api/v1/users?filter=x', 'users', 'GET /api/v1/users'],
    ['GET', 'https://x.okta.com/api/v1/users/a%40b.com', 'user-get', 'GET /api/v1/users/{id}'],
    [
      'GET',
      'https://x.okta.com/api/v1/users/00u1/groups',
      'other',
      'GET /api/v1/users/{id}/groups',
    ],
    ['GET', 'https://x.okta.com/api/v1/apps/0oa1/groups', 'apps', 'GET /api/v1/apps/{id}/groups'],
    ['post', 'https://x.okta.com/oauth2/v1/token', 'token', 'POST /oauth2/v1/token'],
  ])('%s %s counts against %s', (method, url, bucket, label) => {
    expect(endpointKey(method, url)).toEqual({ bucket, label });
  });
});
