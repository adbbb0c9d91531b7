/**
 * End to end: the Okta simulator → the okta source (configured from OKTA_* variables) → full
 * reconcile → the LiteLLM simulator. Suspended and deactivated users, still members of their
 * Okta groups, are deprovisioned; reactivated ones come back with their memberships; a bad token
 * removes nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { loadConfig } from '../../../config/load.js';
import { createAppContext, type AppContext } from '../../../src/cli/context.js';
import { silentLogger } from '../../../src/log.js';
import { reconcileFull } from '../../../src/reconcile/reconcile-full.js';
import { createLiteLLMSimulator } from '../../../src/sim/litellm/server.js';
import type { LiteLLMSimulator } from '../../../src/sim/litellm/types.js';
import type { OktaSimulator } from '../../../src/sim/okta/simulator.js';
import { comparable } from '../../helpers/harness.js';
import { apiToken, startOkta } from './setup.js';

const masterKey = 'sk-test-master-key-0123456789';

const org = {
  users: ['alice', 'bob', 'carol', 'dave'].map(name => ({
    id: `00u-${name}`,
    login: `${name}@example.com`,
    firstName: name,
    lastName: 'Example',
  })),
  groups: [
    { id: '00g-eng', name: 'ai-eng', members: ['00u-alice', '00u-bob', '00u-carol'] },
    { id: '00g-ops', name: 'ai-ops', members: ['00u-dave', '00u-alice'] },
    { id: '00g-fin', name: 'finance', members: ['00u-dave'] },
  ],
};

describe('Okta → LiteLLM', () => {
  let okta: OktaSimulator;
  let litellm: LiteLLMSimulator;
  let dir: string;
  let apps: AppContext[];
  let env: Record<string, string>;

  const sync = async (overrides: Record<string, string> = {}) => {
    const app = createAppContext(loadConfig({ ...env, ...overrides }), {
      logger: silentLogger(),
      litellm: { retry: { baseMs: 5, maxMs: 50 } },
    });
    apps.push(app);
    return reconcileFull(app.depsFor('okta'), { dryRun: false, force: false, trigger: 'manual' });
  };
  const members = (teamId: string) =>
    (litellm.state().teams.find(t => t.team_id === teamId)?.members_with_roles ?? [])
      .map(m => m.user_id ?? '')
      .filter(id => id !== 'default_user_id')
      .sort();
  const userIds = () =>
    litellm
      .state()
      .users.map(u => u.user_id)
      .filter(id => id !== 'default_user_id')
      .sort();

  beforeEach(async () => {
    okta = await startOkta(org);
    litellm = await createLiteLLMSimulator({ masterKey });
    dir = mkdtempSync(join(tmpdir(), 'okta-e2e-'));
    apps = [];
    env = {
      LITELLM_BASE_URL: litellm.url,
      LITELLM_MASTER_KEY: masterKey,
      IDP_SOURCES: 'okta',
      OKTA_ORG_URL: okta.url,
      OKTA_API_TOKEN: apiToken,
      OKTA_GROUP_NAME_PREFIX: 'ai-',
      IDP_SYNC_DB: join(dir, 'state.db'),
      IDP_SYNC_CONFIG: '',
      LOG_LEVEL: 'silent',
      // Two of four users leave in one run: above the default safety threshold, on purpose here.
      DEPROVISION_MAX_PERCENT: '0',
    };
  });
  afterEach(async () => {
    apps.forEach(app => app.close());
    await okta.close();
    await litellm.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('deprovisions suspended and deactivated members and restores them when reactivated', async () => {
    expect((await sync()).status).toBe('succeeded');
    expect(userIds()).toEqual([
      'alice@example.com',
      'bob@example.com',
      'carol@example.com',
      'dave@example.com',
    ]);
    expect(members('00g-eng')).toEqual([
      'alice@example.com',
      'bob@example.com',
      'carol@example.com',
    ]);
    expect(litellm.state().users.find(u => u.user_id === 'bob@example.com')).toMatchObject({
      sso_user_id: '00u-bob',
      user_email: 'bob@example.com',
    });

    okta.directory.suspend('00u-bob');
    okta.directory.deactivate('00u-carol');
    expect(okta.directory.group('00g-eng').members.has('00u-carol')).toBe(true);
    const report = await sync();
    expect(report.status).toBe('succeeded');
    expect(
      report.plan?.operations
        .filter(op => op.kind === 'deprovisionUser')
        .map(op => (op.kind === 'deprovisionUser' ? [op.userId, op.reason] : []))
        .sort(),
    ).toEqual([
      ['bob@example.com', 'disabled'],
      ['carol@example.com', 'disabled'],
    ]);
    expect(userIds()).toEqual(['alice@example.com', 'dave@example.com']);
    expect(members('00g-eng')).toEqual(['alice@example.com']);

    okta.directory.unsuspend('00u-bob');
    okta.directory.activate('00u-carol');
    expect((await sync()).status).toBe('succeeded');
    expect(members('00g-eng')).toEqual([
      'alice@example.com',
      'bob@example.com',
      'carol@example.com',
    ]);
    expect(userIds()).toHaveLength(4);
  });

  it('removes nothing when the token is bad', async () => {
    await sync();
    const before = comparable(litellm.state());
    okta.directory.removeMember('00g-eng', '00u-bob');
    okta.directory.deactivate('00u-dave');

    const report = await sync({ OKTA_API_TOKEN: 'revoked' });
    expect(report.status).toBe('incomplete');
    expect(report.problems.join('\n')).toContain('E0000011');
    expect(comparable(litellm.state())).toEqual(before);
  });

  it('names the OKTA_* variable of a bad setting', () => {
    expect(() =>
      loadConfig({ ...env, OKTA_RATE_LIMIT_SHARE: '1.5', OKTA_GROUP_TYPES: 'TEAM' }),
    ).toThrow(/OKTA_GROUP_TYPES: .*\n.*OKTA_RATE_LIMIT_SHARE: expected a share of at most 1/);
    expect(() => loadConfig({ ...env, OKTA_API_TOKEN: '' })).toThrow(/OKTA_API_TOKEN: not set/);
    expect(() => loadConfig({ ...env, OKTA_GROUP_NAME_PREFIX: '' })).toThrow(
      /OKTA_APP_ID: none is set/,
    );
    expect(
      loadConfig({ ...env, OKTA_GROUP_NAME_PREFIX: '', OKTA_APP_ID: '0oa1' }).sources[0],
    ).toMatchObject({
      name: 'okta',
      userIdAttribute: 'login',
      config: { appId: '0oa1' },
    });
  });
});
