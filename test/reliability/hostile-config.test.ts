/**
 * Issue 11, part 4 (configuration): malformed and oversized environment values and config files,
 * fed to `main()` in process. Each must end with exit code 2 and a message naming the variable
 * or the file, and must leave LiteLLM untouched.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startHarness, type Harness } from '../helpers/harness.js';

type EnvCase = { what: string; env: Record<string, string>; names: RegExp };

const huge = 'x'.repeat(1_000_000);

const envCases: readonly EnvCase[] = [
  { what: 'an empty master key', env: { LITELLM_MASTER_KEY: '' }, names: /LITELLM_MASTER_KEY/ },
  {
    what: 'a base URL that is no URL',
    env: { LITELLM_BASE_URL: 'not a url' },
    names: /LITELLM_BASE_URL/,
  },
  {
    what: 'a javascript: base URL',
    env: { LITELLM_BASE_URL: 'javascript:alert(1)' },
    names: /LITELLM_BASE_URL/,
  },
  {
    what: 'a 1 MB base URL',
    env: { LITELLM_BASE_URL: `http://${huge}` },
    names: /LITELLM_BASE_URL/,
  },
  { what: 'an unknown source', env: { IDP_SOURCES: 'file,nosuch' }, names: /IDP_SOURCES/ },
  { what: 'no source at all', env: { IDP_SOURCES: ' , ' }, names: /IDP_SOURCES/ },
  {
    what: 'a percentage that is text',
    env: { DEPROVISION_MAX_PERCENT: 'ten' },
    names: /DEPROVISION_MAX_PERCENT/,
  },
  {
    what: 'a negative percentage',
    env: { DEPROVISION_MAX_PERCENT: '-5' },
    names: /DEPROVISION_MAX_PERCENT/,
  },
  {
    what: 'an infinite timeout',
    env: { LITELLM_TIMEOUT_MS: '1e999' },
    names: /LITELLM_TIMEOUT_MS/,
  },
  { what: 'a fractional timeout', env: { LITELLM_TIMEOUT_MS: '2.5' }, names: /LITELLM_TIMEOUT_MS/ },
  {
    what: 'a 1 MB number',
    env: { LITELLM_TIMEOUT_MS: '9'.repeat(1_000_000) },
    names: /LITELLM_TIMEOUT_MS/,
  },
  { what: 'a zero concurrency', env: { APPLY_CONCURRENCY: '0' }, names: /APPLY_CONCURRENCY/ },
  { what: 'an unknown log level', env: { LOG_LEVEL: 'verbose' }, names: /LOG_LEVEL/ },
  {
    what: 'a NUL byte in a number',
    env: { LITELLM_TIMEOUT_MS: '100\u0000' },
    names: /LITELLM_TIMEOUT_MS/,
  },
  {
    what: 'okta without its org URL',
    env: { IDP_SOURCES: 'okta', OKTA_API_TOKEN: 't' },
    names: /OKTA_ORG_URL/,
  },
  {
    what: 'okta with a ftp: org URL',
    env: {
      IDP_SOURCES: 'okta',
      OKTA_ORG_URL: 'ftp://example.okta.com',
      OKTA_API_TOKEN: 't',
      OKTA_GROUP_NAME_PREFIX: 'ai-',
    },
    names: /OKTA_ORG_URL/,
  },
  {
    what: 'entra without a tenant',
    env: { IDP_SOURCES: 'entra', ENTRA_CLIENT_ID: 'c', ENTRA_CLIENT_SECRET: 's' },
    names: /ENTRA_TENANT_ID/,
  },
  {
    what: 'a config file that does not exist',
    env: { IDP_SYNC_CONFIG: '/nonexistent/idp-sync.yaml' },
    names: /IDP_SYNC_CONFIG.*\/nonexistent\/idp-sync\.yaml/,
  },
];

/** Config files: written under the harness directory, each must be named in the message. */
const fileCases: readonly { what: string; text: string }[] = [
  { what: 'YAML that does not parse', text: 'userRoles: [unclosed\n  - : :' },
  { what: 'the wrong types', text: 'userRoles: 42\nteamTemplates: { a: 1 }\n' },
  {
    what: 'a role that does not exist',
    text: 'userRoles:\n  - groups: [ai-x]\n    role: god_mode\n',
  },
  {
    what: 'a regular expression that does not compile',
    text: "teamTemplates:\n  - match: '(['\n    settings: {}\n",
  },
  { what: 'a billion-laughs alias bomb', text: laughs() },
  {
    what: 'a 12 MB file',
    text: `userRoles:\n${'  - groups: [ai-x]\n    role: internal_user\n'.repeat(300_000)}bogus: [`,
  },
  { what: 'binary garbage', text: '\u0000\u0001\u00ff\ufffe{{{' },
];

function laughs(): string {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i += 1) {
    const prev = String.fromCharCode(96 + i);
    const next = String.fromCharCode(97 + i);
    lines.push(
      `${next}: &${next} [*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev}]`,
    );
  }
  lines.push('userRoles: *j');
  return `${lines.join('\n')}\n`;
}

describe('hostile configuration fails fast, naming what is wrong', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    h.writeDirectory({
      users: [{ id: 'a', email: 'a@example.com' }],
      groups: [{ id: 'g', name: 'ai-g', members: ['a'] }],
    });
  });
  afterAll(() => h.close());

  it.each(envCases)('$what → exit 2, naming the variable', async ({ env, names }) => {
    for (const command of [['check-config'], ['sync']]) {
      const out = await h.cli(command, env);
      expect({ code: out.code, named: names.test(out.stderr) }, out.stderr.slice(0, 500)).toEqual({
        code: 2,
        named: true,
      });
      // A message, not a dump of the oversized value.
      expect(out.stderr.length).toBeLessThan(20_000);
    }
    expect(h.sim.writes()).toEqual([]);
  });

  it.each(fileCases)('a config file with $what → exit 2, naming the file', async ({ text }) => {
    const path = join(h.dir, `hostile-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(path, text);
    const started = Date.now();
    const out = await h.cli(['sync'], { IDP_SYNC_CONFIG: path });
    expect(
      {
        code: out.code,
        named: out.stderr.includes('IDP_SYNC_CONFIG') || out.stderr.includes(path),
      },
      out.stderr.slice(0, 500),
    ).toEqual({
      code: 2,
      named: true,
    });
    expect(out.stderr.length).toBeLessThan(20_000);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(h.sim.writes()).toEqual([]);
  });
});
