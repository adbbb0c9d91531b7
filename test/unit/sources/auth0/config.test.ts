import { describe, expect, it } from 'vitest';

import { auth0SourceConfigSchema } from '../../../../src/sources/auth0/config.js';
import { sourcesFromEnv } from '../../../../config/sources.js';

const base = {
  domain: 'example.eu.auth0.com',
  clientId: 'id',
  clientSecret: 'secret',
  scope: { ids: [], all: true },
};

describe('auth0 source config', () => {
  it('defaults to roles and strips a scheme from the domain', () => {
    const config = auth0SourceConfigSchema.parse({
      ...base,
      domain: 'https://example.eu.auth0.com/',
    });
    expect(config).toMatchObject({ domain: 'example.eu.auth0.com', groupsFrom: 'roles' });
    expect(config.baseUrl).toBeUndefined();
  });

  it('refuses an unknown AUTH0_GROUPS_FROM and an empty scope', () => {
    expect(auth0SourceConfigSchema.safeParse({ ...base, groupsFrom: 'groups' }).success).toBe(
      false,
    );
    expect(
      auth0SourceConfigSchema.safeParse({ ...base, scope: { ids: [], all: false } }).success,
    ).toBe(false);
  });

  it('is read from AUTH0_* variables, naming the variable of each problem', () => {
    const issues: string[] = [];
    const setups = sourcesFromEnv(
      ['auth0'],
      { AUTH0_DOMAIN: 'example.auth0.com', AUTH0_ALL_GROUPS: 'true', AUTH0_GROUPS_FROM: 'both' },
      issues,
    );
    expect(setups).toEqual([]);
    expect(issues.join('\n')).toMatch(/AUTH0_CLIENT_ID: not set/);
    expect(issues.join('\n')).toMatch(/AUTH0_CLIENT_SECRET: not set/);
    const ok = sourcesFromEnv(
      ['auth0'],
      {
        AUTH0_DOMAIN: 'example.auth0.com',
        AUTH0_CLIENT_ID: 'i',
        AUTH0_CLIENT_SECRET: 's',
        AUTH0_GROUP_NAME_PREFIX: 'ai-',
        AUTH0_GROUPS_FROM: 'Organizations',
      },
      [],
    );
    expect(ok[0]).toMatchObject({
      name: 'auth0',
      userIdAttribute: 'externalId',
      config: { groupsFrom: 'organizations' },
    });
  });
});
