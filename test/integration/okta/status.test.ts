/**
 * Status and scope semantics of the Okta source against the simulator: deactivated and suspended
 * users stay in their groups and must be reported inactive, not missing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { ScenarioInput } from '../../../src/sim/okta/scenario.js';
import type { OktaSimulator } from '../../../src/sim/okta/simulator.js';
import { collect, oktaSourceFor, startOkta } from './setup.js';

const statuses = [
  'ACTIVE',
  'PROVISIONED',
  'PASSWORD_EXPIRED',
  'LOCKED_OUT',
  'RECOVERY',
  'STAGED',
  'SUSPENDED',
  'DEPROVISIONED',
] as const;

const org: ScenarioInput = {
  users: [
    ...statuses.map(status => ({
      id: `u-${status.toLowerCase()}`,
      login: `${status.toLowerCase()}@example.com`,
      status,
    })),
    {
      id: 'u-mail',
      login: 'jdoe',
      email: 'Jane.Doe@example.com',
      status: 'DEPROVISIONED' as const,
    },
  ],
  groups: [
    {
      id: 'g-all',
      name: 'ai-all',
      members: [...statuses.map(s => `u-${s.toLowerCase()}`), 'u-mail'],
    },
    { id: 'g-app', name: 'ai-imported', type: 'APP_GROUP', members: ['u-active'] },
    { id: 'g-other', name: 'sales', members: ['u-active'] },
  ],
  apps: [{ id: '0oa-litellm', label: 'LiteLLM', groups: ['g-other'] }],
};

describe('Okta statuses and scope', () => {
  let sim: OktaSimulator;
  beforeEach(async () => {
    sim = await startOkta(org);
  });
  afterEach(async () => sim.close());

  it('reports suspended, deactivated and staged members inactive, and the rest active', async () => {
    const source = oktaSourceFor(sim);
    await source.prepare?.('full');
    const users = new Map((await collect(source.listUsers())).map(u => [u.externalId, u.active]));
    expect(Object.fromEntries(users)).toEqual({
      'u-active': true,
      'u-provisioned': true,
      'u-password_expired': true,
      'u-locked_out': true,
      'u-recovery': true,
      'u-staged': false,
      'u-suspended': false,
      'u-deprovisioned': false,
      'u-mail': false,
    });
    const all = (await collect(source.listGroups())).find(g => g.externalId === 'g-all');
    expect(all?.memberIds).toContain('u-deprovisioned');
  });

  it('sees a deactivated user as deactivated, not missing, even without a prepare', async () => {
    const source = oktaSourceFor(sim);
    const users = await collect(source.listUsers());
    expect(users.find(u => u.externalId === 'u-deprovisioned')).toMatchObject({ active: false });
  });

  it('skips a group deleted between listing it and reading its members', async () => {
    sim.setFaults([{ method: 'GET', path: '/api/v1/groups/g-app/users', status: 404 }]);
    const source = oktaSourceFor(sim, { scope: { all: true } });
    await source.prepare?.('full');
    expect((await collect(source.listGroups())).map(g => g.name).sort()).toEqual([
      'ai-all',
      'sales',
    ]);
  });

  it('follows OKTA_ACTIVE_STATUSES', async () => {
    const source = oktaSourceFor(sim, { activeStatuses: 'ACTIVE' });
    const active = (await collect(source.listUsers())).filter(u => u.active).map(u => u.externalId);
    expect(active).toEqual(['u-active']);
  });

  it('reads a deactivated user by id, login and e-mail as found but inactive', async () => {
    const source = oktaSourceFor(sim);
    for (const subject of ['u-deprovisioned', 'DEPROVISIONED@example.com']) {
      const reading = await source.readUser(subject);
      expect(reading).toMatchObject({
        kind: 'found',
        user: { externalId: 'u-deprovisioned', active: false },
      });
      expect(reading.kind === 'found' && reading.groups.map(g => g.externalId)).toEqual(['g-all']);
    }
    // Login "jdoe" differs from the e-mail: found through filter=profile.email eq, which,
    // unlike an unfiltered list, includes deactivated users.
    expect(await source.readUser('jane.doe@example.com')).toMatchObject({
      kind: 'found',
      user: { externalId: 'u-mail', active: false, email: 'Jane.Doe@example.com' },
    });
    expect(await source.readUser('gone@example.com')).toEqual({
      kind: 'deleted',
      source: 'okta',
      subject: 'gone@example.com',
    });
  });

  it('takes app groups by default, never Everyone unless asked, and ids whatever their type', async () => {
    const names = async (config: Parameters<typeof oktaSourceFor>[1]) =>
      (await collect(oktaSourceFor(sim, config).listGroups())).map(g => g.name).sort();
    expect(await names({ scope: { all: true } })).toEqual(['ai-all', 'ai-imported', 'sales']);
    expect(await names({ scope: { all: true }, groupTypes: 'OKTA_GROUP' })).toEqual([
      'ai-all',
      'sales',
    ]);
    expect(await names({ scope: { all: true }, groupTypes: 'OKTA_GROUP,BUILT_IN' })).toEqual([
      'Everyone',
      'ai-all',
      'sales',
    ]);
    expect(await names({ scope: { ids: [sim.directory.everyoneId] } })).toEqual(['Everyone']);
  });

  it('selects the groups assigned to OKTA_APP_ID, alone or with other selectors', async () => {
    const appOnly = oktaSourceFor(sim, { scope: { ids: [] }, appId: '0oa-litellm' });
    expect((await collect(appOnly.listGroups())).map(g => g.name)).toEqual(['sales']);
    const union = oktaSourceFor(sim, { appId: '0oa-litellm' });
    expect((await collect(union.listGroups())).map(g => g.name).sort()).toEqual([
      'ai-all',
      'ai-imported',
      'sales',
    ]);
    const reading = await appOnly.readUser('u-active');
    expect(reading.kind === 'found' && reading.groups.map(g => g.name)).toEqual(['sales']);
  });
});
