import { describe, expect, it } from 'vitest';

import { loadConfig, loadServerConfig } from '../../config/load.js';
import { ConfigError } from '../../src/errors.js';

const base = {
  LITELLM_BASE_URL: 'http://localhost:4000',
  LITELLM_MASTER_KEY: 'sk-test',
  IDP_SOURCES: 'entra,file',
  ENTRA_TENANT_ID: '00000000-0000-0000-0000-000000000000',
  ENTRA_CLIENT_ID: 'app',
  ENTRA_CLIENT_SECRET: 'secret',
  ENTRA_GROUP_IDS: 'all',
  FILE_DIRECTORY_PATH: '/tmp/directory.yaml',
  FILE_ALL_GROUPS: 'true',
};
const oidc = {
  OIDC_ISSUER: 'https://login.microsoftonline.com/tenant/v2.0/',
  OIDC_CLIENT_ID: 'client',
  OIDC_CLIENT_SECRET: 'client-secret',
  OIDC_REDIRECT_URI: 'https://idp-sync.example.com/callback',
  SESSION_SECRET: 's'.repeat(32),
  POST_LOGIN_REDIRECT_URL: 'https://litellm.example.com/sso/key/generate',
};

function load(env: Record<string, string>) {
  const all = { ...base, ...env };
  return loadServerConfig(all, loadConfig(all));
}

function issues(env: Record<string, string>): readonly string[] {
  try {
    load(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      return error.issues;
    }
    throw error;
  }
  return [];
}

describe('loadServerConfig', () => {
  it('applies the defaults; the login source is the first of IDP_SOURCES and entra keys on oid', () => {
    const settings = load(oidc);
    expect(settings).toMatchObject({
      host: '0.0.0.0',
      port: 8080,
      loginSource: 'entra',
      loginSyncWaitMs: 3000,
      oktaEventHookSource: 'okta',
    });
    expect(settings.oidc).toMatchObject({
      issuer: 'https://login.microsoftonline.com/tenant/v2.0',
      subjectClaim: 'oid',
    });
  });

  it('keys other sources on sub unless OIDC_SUBJECT_CLAIM says otherwise', () => {
    expect(load({ ...oidc, LOGIN_SOURCE: 'file' }).oidc?.subjectClaim).toBe('sub');
    expect(load({ ...oidc, OIDC_SUBJECT_CLAIM: 'employee_id' }).oidc?.subjectClaim).toBe(
      'employee_id',
    );
  });

  it('names every missing companion of OIDC_ISSUER', () => {
    expect(issues({ OIDC_ISSUER: oidc.OIDC_ISSUER })).toEqual([
      'OIDC_CLIENT_ID: not set (required with OIDC_ISSUER)',
      'OIDC_CLIENT_SECRET: not set (required with OIDC_ISSUER)',
      'OIDC_REDIRECT_URI: not set (required with OIDC_ISSUER)',
      'SESSION_SECRET: not set (required with OIDC_ISSUER)',
      'POST_LOGIN_REDIRECT_URL: not set (required with OIDC_ISSUER)',
    ]);
  });

  it('refuses weak secrets, plain-http issuers, unknown login sources and nothing to serve', () => {
    expect(issues({ ...oidc, SESSION_SECRET: 'short' })[0]).toMatch(
      /^SESSION_SECRET: expected at least 32 characters/,
    );
    expect(issues({ ...oidc, OIDC_ISSUER: 'http://idp.example.com' })[0]).toMatch(
      /^OIDC_ISSUER: expected an https URL/,
    );
    expect(issues({ ...oidc, LOGIN_SOURCE: 'okta' })).toEqual([
      'LOGIN_SOURCE: okta is not one of IDP_SOURCES (entra, file)',
    ]);
    expect(issues({})[0]).toMatch(/^OIDC_ISSUER: not set \(serve needs at least one of/);
    expect(issues({ LOGIN_HOOK_SECRET: 'h'.repeat(32), PORT: '99999' })[0]).toMatch(/^PORT:/);
  });

  it('runs with HMAC hooks only (no OIDC)', () => {
    const settings = load({ LOGIN_HOOK_SECRET: 'h'.repeat(32) });
    expect(settings.oidc).toBeUndefined();
    expect(settings.loginHookSecret).toBe('h'.repeat(32));
  });
});
