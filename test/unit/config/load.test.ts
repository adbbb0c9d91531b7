import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { loadConfig } from '../../../config/load.js';
import { ConfigError } from '../../../src/errors.js';

const base = {
  LITELLM_BASE_URL: 'http://localhost:4000/',
  LITELLM_MASTER_KEY: 'sk-secret-master-key',
  IDP_SOURCES: 'file',
  FILE_DIRECTORY_PATH: 'config/demo/directory.yaml',
  FILE_GROUP_NAME_PREFIX: 'ai-',
  IDP_SYNC_CONFIG: '',
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

describe('loadConfig', () => {
  it('applies defaults and trims the base URL', () => {
    const config = loadConfig(base);
    expect(config.litellm).toEqual({
      baseUrl: 'http://localhost:4000',
      masterKey: 'sk-secret-master-key',
      concurrency: 16,
      timeoutMs: 30_000,
    });
    expect(config.threshold).toEqual({ maxCount: 25, maxPercent: 20 });
    expect(config.dbPath).toBe('./data/idp-sync.db');
    expect(config.sources).toEqual([
      {
        name: 'file',
        userIdAttribute: 'externalId',
        config: {
          path: 'config/demo/directory.yaml',
          scope: { ids: [], namePrefix: 'ai-', all: false },
        },
      },
    ]);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('names every bad variable at once', () => {
    const issues = issuesOf({
      ...base,
      LITELLM_BASE_URL: 'localhost',
      LITELLM_MASTER_KEY: '',
      DEPROVISION_MAX: 'many',
    });
    expect(issues.some(i => i.startsWith('LITELLM_BASE_URL:'))).toBe(true);
    expect(issues.some(i => i.startsWith('LITELLM_MASTER_KEY: not set'))).toBe(true);
    expect(issues.some(i => i.startsWith('DEPROVISION_MAX:'))).toBe(true);
  });

  it('refuses a source with no group scope, naming the variables to set', () => {
    const issues = issuesOf({ ...base, FILE_GROUP_NAME_PREFIX: '' });
    expect(issues).toEqual([
      'FILE_GROUP_IDS, FILE_GROUP_NAME_PREFIX, FILE_GROUP_NAME_REGEX: none is set, so no group is in scope. Set at least one, or FILE_ALL_GROUPS=true to turn every group into a team',
    ]);
    expect(() =>
      loadConfig({ ...base, FILE_GROUP_NAME_PREFIX: '', FILE_ALL_GROUPS: 'true' }),
    ).not.toThrow();
  });

  it('rejects unknown sources, bad regexes and bad booleans', () => {
    expect(issuesOf({ ...base, IDP_SOURCES: 'file,ldap' })).toEqual([
      expect.stringContaining('IDP_SOURCES: unknown source "ldap"'),
    ]);
    expect(issuesOf({ ...base, FILE_GROUP_NAME_REGEX: '(' })).toEqual([
      'FILE_GROUP_NAME_REGEX: expected a valid regular expression',
    ]);
    expect(issuesOf({ ...base, FILE_ALL_GROUPS: 'maybe' })).toEqual([
      'FILE_ALL_GROUPS: expected true or false (got "maybe")',
    ]);
    expect(issuesOf({ ...base, FILE_DIRECTORY_PATH: 'dir.txt' })[0]).toMatch(
      /^FILE_DIRECTORY_PATH: /,
    );
  });

  it('never echoes the master key in an issue', () => {
    const issues = issuesOf({ ...base, LITELLM_BASE_URL: 'nope' });
    expect(issues.join('\n')).not.toContain('sk-secret-master-key');
  });

  it('reads role rules and templates from the YAML file, naming the path of a mistake', () => {
    const dir = mkdtempSync(join(tmpdir(), 'idp-sync-config-'));
    const good = join(dir, 'good.yaml');
    writeFileSync(
      good,
      'userRoles:\n  - groups: [admins]\n    role: proxy_admin\nteamTemplates:\n  - match: "^ai-"\n    settings: { models: [gpt-4o] }\n',
    );
    const config = loadConfig({ ...base, IDP_SYNC_CONFIG: good });
    expect(config.rules.userRoleRules).toEqual([{ groups: ['admins'], role: 'proxy_admin' }]);
    expect(config.rules.teamTemplates[0]?.match.test('ai-x')).toBe(true);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'userRoles:\n  - groups: [admins]\n    role: root\n');
    expect(issuesOf({ ...base, IDP_SYNC_CONFIG: bad })).toEqual([
      expect.stringMatching(/bad\.yaml: userRoles\.0\.role: /),
    ]);
    expect(issuesOf({ ...base, IDP_SYNC_CONFIG: join(dir, 'missing.yaml') })).toEqual([
      expect.stringContaining('IDP_SYNC_CONFIG: no file at'),
    ]);
  });
});
