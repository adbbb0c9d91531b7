import { generateKeyPairSync } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { oktaSourceConfigSchema, requiredScopes } from '../../../../src/sources/okta/config.js';

const base = {
  orgUrl: 'https://example.okta.com/',
  apiToken: '00abc',
  scope: { namePrefix: 'ai-' },
};

const issues = (input: unknown) =>
  oktaSourceConfigSchema
    .safeParse(input)
    .error?.issues.map(i => `${i.path.join('.')}: ${i.message}`) ?? [];

describe('okta source configuration', () => {
  it('applies the defaults', () => {
    expect(oktaSourceConfigSchema.parse(base)).toMatchObject({
      orgUrl: 'https://example.okta.com',
      groupTypes: ['OKTA_GROUP', 'APP_GROUP'],
      activeStatuses: ['ACTIVE', 'PROVISIONED', 'PASSWORD_EXPIRED', 'LOCKED_OUT', 'RECOVERY'],
      rateLimitShare: 0.5,
      fullResyncHours: 24,
    });
  });

  it('reads the environment forms: comma lists in any case, numbers as text, blanks as unset', () => {
    expect(
      oktaSourceConfigSchema.parse({
        ...base,
        groupTypes: ' okta_group , BUILT_IN',
        activeStatuses: 'active,active',
        rateLimitShare: '0.25',
        fullResyncHours: '',
        keyId: ' ',
      }),
    ).toMatchObject({
      groupTypes: ['OKTA_GROUP', 'BUILT_IN'],
      activeStatuses: ['ACTIVE'],
      rateLimitShare: 0.25,
      fullResyncHours: 24,
      keyId: undefined,
    });
  });

  it('names each bad field', () => {
    expect(issues({ ...base, orgUrl: 'example', rateLimitShare: '0', groupTypes: 'TEAM' })).toEqual(
      [
        'orgUrl: expected the Okta org URL, e.g. https://example.okta.com',
        expect.stringMatching(/^groupTypes.0: /),
        'rateLimitShare: expected a share above 0',
      ],
    );
  });

  it('wants exactly one way to authenticate', () => {
    expect(issues({ ...base, apiToken: undefined })).toEqual([
      'apiToken: not set: set an API token, or a client id and private key (OAuth service app)',
    ]);
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    expect(issues({ ...base, clientId: '0oa1', privateKey: pem })).toEqual([
      'apiToken: set either an API token or OAuth (client id + private key), not both',
    ]);
    expect(issues({ ...base, apiToken: undefined, privateKey: pem })).toEqual([
      'clientId: not set (needed with a private key)',
    ]);
    expect(
      issues({ ...base, apiToken: undefined, clientId: '0oa1', privateKey: 'not a key' }),
    ).toEqual(['privateKey: expected a private key as PEM or as JWK JSON']);
  });

  it('counts OKTA_APP_ID as a scope and then asks for okta.apps.read', () => {
    expect(issues({ ...base, scope: {} })).toEqual([
      'scope: no group selected: set ids, namePrefix, nameRegex or appId, or set all to true',
    ]);
    const config = oktaSourceConfigSchema.parse({ ...base, scope: {}, appId: '0oa1' });
    expect(requiredScopes(config)).toEqual([
      'okta.users.read',
      'okta.groups.read',
      'okta.apps.read',
    ]);
    expect(requiredScopes(oktaSourceConfigSchema.parse(base))).toEqual([
      'okta.users.read',
      'okta.groups.read',
    ]);
  });
});
