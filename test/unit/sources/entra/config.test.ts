import { describe, expect, it } from 'vitest';

import { loadConfig } from '../../../../config/load.js';
import { ConfigError } from '../../../../src/errors.js';
import { entraSourceConfigSchema } from '../../../../src/sources/entra/config.js';

const base = {
  LITELLM_BASE_URL: 'http://localhost:4000',
  LITELLM_MASTER_KEY: 'sk-master',
  IDP_SOURCES: 'entra',
  IDP_SYNC_CONFIG: '',
  ENTRA_TENANT_ID: '11111111-2222-3333-4444-555555555555',
  ENTRA_CLIENT_ID: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
  ENTRA_CLIENT_SECRET: 'not-a-real-secret',
  ENTRA_GROUP_NAME_PREFIX: 'ai-',
};

function issuesOf(env: Record<string, string | undefined>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      return error.issues;
    }
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('entra configuration', () => {
  it('reads the ENTRA_* variables with public-cloud defaults', () => {
    const [setup] = loadConfig(base).sources;
    expect(setup).toEqual({
      name: 'entra',
      userIdAttribute: 'externalId',
      config: {
        tenantId: base.ENTRA_TENANT_ID,
        clientId: base.ENTRA_CLIENT_ID,
        clientSecret: 'not-a-real-secret',
        authorityHost: 'https://login.microsoftonline.com',
        graphBaseUrl: 'https://graph.microsoft.com',
        scope: { ids: [], namePrefix: 'ai-', all: false },
        throttlePriority: 'low',
      },
    });
  });

  it('takes a national cloud, a certificate and the enterprise application as the only scope', () => {
    const rest: Record<string, string> = { ...base };
    delete rest['ENTRA_CLIENT_SECRET'];
    delete rest['ENTRA_GROUP_NAME_PREFIX'];
    const [setup] = loadConfig({
      ...rest,
      ENTRA_CLIENT_CERTIFICATE_PATH: '/etc/idp-sync/entra.pem',
      ENTRA_AUTHORITY_HOST: 'https://login.microsoftonline.us/',
      GRAPH_BASE_URL: 'https://graph.microsoft.us',
      ENTRA_APP_SERVICE_PRINCIPAL_ID: 'sp-1',
      ENTRA_THROTTLE_PRIORITY: 'normal',
    }).sources;
    expect(setup?.config).toMatchObject({
      certificatePath: '/etc/idp-sync/entra.pem',
      authorityHost: 'https://login.microsoftonline.us',
      graphBaseUrl: 'https://graph.microsoft.us',
      appServicePrincipalId: 'sp-1',
      throttlePriority: 'normal',
    });
  });

  it('names each bad variable, and never echoes the secret', () => {
    const issues = issuesOf({
      ...base,
      ENTRA_TENANT_ID: '',
      ENTRA_CLIENT_CERTIFICATE_PATH: '/x.pem',
      GRAPH_BASE_URL: 'http://graph.local/v1.0',
      ENTRA_THROTTLE_PRIORITY: 'urgent',
    });
    expect(issues.map(issue => issue.split(':')[0])).toEqual([
      'ENTRA_TENANT_ID',
      'GRAPH_BASE_URL',
      'ENTRA_THROTTLE_PRIORITY',
    ]);
    const both = issuesOf({ ...base, ENTRA_CLIENT_CERTIFICATE_PATH: '/x.pem' });
    expect(both).toEqual([
      'ENTRA_CLIENT_SECRET / ENTRA_CLIENT_CERTIFICATE_PATH: set exactly one credential: a client secret or a certificate path',
    ]);
    expect([...issues, ...both].join('\n')).not.toContain('not-a-real-secret');
  });

  it('refuses to run without any scope, naming the app variable too', () => {
    expect(issuesOf({ ...base, ENTRA_GROUP_NAME_PREFIX: '' })).toEqual([
      'ENTRA_GROUP_IDS, ENTRA_GROUP_NAME_PREFIX, ENTRA_GROUP_NAME_REGEX, ENTRA_APP_SERVICE_PRINCIPAL_ID: none is set, so no group is in scope. Set at least one, or ENTRA_ALL_GROUPS=true to turn every group into a team',
    ]);
  });

  it('guards callers that build the config by hand', () => {
    const result = entraSourceConfigSchema.safeParse({
      tenantId: 't',
      clientId: 'c',
      clientSecret: 's',
      scope: {},
    });
    expect(result.success).toBe(false);
  });
});
