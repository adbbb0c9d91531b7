/** The `GOOGLE_*` and `KEYCLOAK_*` variables reach the sources' schemas, and issues name them. */
import { describe, expect, it } from 'vitest';

import { sourcesFromEnv } from '../../../../config/sources.js';

const keyJson = JSON.stringify({ client_email: 'sa@p.iam.gserviceaccount.com', private_key: 'k' });

describe('google and keycloak from the environment', () => {
  it('builds a google source, user_id from the Google id by default', () => {
    const issues: string[] = [];
    const setups = sourcesFromEnv(
      ['google'],
      {
        GOOGLE_SERVICE_ACCOUNT_JSON: keyJson,
        GOOGLE_ADMIN_SUBJECT: 'admin@example.com',
        GOOGLE_GROUP_NAME_PREFIX: 'ai-',
      },
      issues,
    );
    expect(issues).toEqual([]);
    expect(setups[0]).toMatchObject({
      name: 'google',
      userIdAttribute: 'externalId',
      config: { customerId: 'my_customer', subject: 'admin@example.com' },
    });
  });

  it('names the google variables in issues', () => {
    const issues: string[] = [];
    sourcesFromEnv(['google'], { GOOGLE_ALL_GROUPS: 'true' }, issues);
    expect(issues.join('\n')).toMatch(/GOOGLE_ADMIN_SUBJECT: not set/);
    issues.length = 0;
    sourcesFromEnv(
      ['google'],
      { GOOGLE_ALL_GROUPS: 'true', GOOGLE_ADMIN_SUBJECT: 'admin@example.com' },
      issues,
    );
    expect(issues.join('\n')).toMatch(
      /GOOGLE_SERVICE_ACCOUNT_KEY_FILE \/ GOOGLE_SERVICE_ACCOUNT_JSON: not set/,
    );
  });

  it('builds a keycloak source, user_id from the username by default', () => {
    const issues: string[] = [];
    const setups = sourcesFromEnv(
      ['keycloak'],
      {
        KEYCLOAK_URL: 'https://sso.example.com/',
        KEYCLOAK_REALM: 'acme',
        KEYCLOAK_CLIENT_ID: 'idp-sync',
        KEYCLOAK_CLIENT_SECRET: 's',
        KEYCLOAK_GROUP_IDS: 'g1',
      },
      issues,
    );
    expect(issues).toEqual([]);
    expect(setups[0]).toMatchObject({
      name: 'keycloak',
      userIdAttribute: 'login',
      config: { url: 'https://sso.example.com', realm: 'acme' },
    });
  });

  it('names the keycloak variables in issues', () => {
    const issues: string[] = [];
    sourcesFromEnv(['keycloak'], { KEYCLOAK_ALL_GROUPS: 'true' }, issues);
    const text = issues.join('\n');
    for (const name of [
      'KEYCLOAK_URL',
      'KEYCLOAK_REALM',
      'KEYCLOAK_CLIENT_ID',
      'KEYCLOAK_CLIENT_SECRET',
    ]) {
      expect(text).toContain(name);
    }
  });
});
