import { describe, expect, it } from 'vitest';

import { sourcesFromEnv } from '../../../../config/sources.js';
import { oneloginSourceConfigSchema } from '../../../../src/sources/onelogin/config.js';
import { toIdpUser, toUserRecord } from '../../../../src/sources/onelogin/map.js';

describe('onelogin source config', () => {
  it('has defaults for statuses, share and resync', () => {
    const config = oneloginSourceConfigSchema.parse({
      baseUrl: 'https://example.onelogin.com/',
      clientId: 'i',
      clientSecret: 's',
      scope: { ids: [], all: true },
    });
    expect(config).toMatchObject({
      baseUrl: 'https://example.onelogin.com',
      activeStatuses: [1, 4, 5, 7, 8],
      rateLimitShare: 0.5,
      fullResyncHours: 24,
    });
  });

  it('is read from ONELOGIN_* variables, naming the variable of each problem', () => {
    const issues: string[] = [];
    sourcesFromEnv(
      ['onelogin'],
      { ONELOGIN_ALL_GROUPS: 'true', ONELOGIN_RATE_LIMIT_SHARE: '2' },
      issues,
    );
    expect(issues.join('\n')).toMatch(/ONELOGIN_BASE_URL: not set/);
    expect(issues.join('\n')).toMatch(/ONELOGIN_CLIENT_ID: not set/);
    expect(issues.join('\n')).toMatch(/ONELOGIN_RATE_LIMIT_SHARE: expected a share of at most 1/);
    const ok = sourcesFromEnv(
      ['onelogin'],
      {
        ONELOGIN_BASE_URL: 'https://x.onelogin.com',
        ONELOGIN_CLIENT_ID: 'i',
        ONELOGIN_CLIENT_SECRET: 's',
        ONELOGIN_GROUP_IDS: '123',
        ONELOGIN_ACTIVE_STATUSES: '1, 3',
      },
      [],
    );
    expect(ok[0]).toMatchObject({
      name: 'onelogin',
      userIdAttribute: 'login',
      config: { activeStatuses: [1, 3], scope: { ids: ['123'] } },
    });
  });
});

describe('onelogin mapping', () => {
  it('uses the username as login, else the e-mail, and the status codes for `active`', () => {
    const record = toUserRecord({
      id: 7,
      email: 'a@x.com',
      firstname: 'Ada',
      lastname: 'L',
      status: 2,
    });
    expect(toIdpUser(record, [1])).toEqual({
      externalId: '7',
      login: 'a@x.com',
      email: 'a@x.com',
      displayName: 'Ada L',
      active: false,
    });
    expect(toIdpUser(toUserRecord({ id: 8, username: 'bee', status: 1 }), [1])).toMatchObject({
      login: 'bee',
      active: true,
    });
    // No status at all is not taken for active.
    expect(toIdpUser(toUserRecord({ id: 9 }), [1]).active).toBe(false);
  });
});
