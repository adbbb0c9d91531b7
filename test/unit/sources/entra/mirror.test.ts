import { describe, expect, it } from 'vitest';

import {
  applyDeltaRound,
  applyGroupChange,
  applyUserChange,
  deltaTokenMaxAgeMs,
  loadMirror,
  replaceMirror,
  usableDeltaLinks,
  type FullDirectory,
  type MirrorGroup,
  type MirrorUser,
} from '../../../../src/sources/entra/mirror.js';
import { testSourceDeps } from '../../../helpers/source-deps.js';

const user = (id: string, accountEnabled = true): MirrorUser => ({
  id,
  upn: `${id}@contoso.test`,
  mail: `${id}@contoso.test`,
  displayName: id,
  accountEnabled,
});
const group = (id: string, users: string[], groups: string[] = []): MirrorGroup => ({
  id,
  displayName: `team-${id}`,
  users,
  groups,
});
const userType = '#microsoft.graph.user';
const groupType = '#microsoft.graph.group';
const identity = 'https://graph.test|tenant';
const t0 = new Date('2025-01-01T00:00:00Z');

const directory: FullDirectory = {
  users: [user('ada'), user('alan')],
  groups: [group('parent', ['ada'], ['child']), group('child', ['alan'])],
  appGroupIds: ['parent'],
  links: {
    users: 'https://graph.test/v1.0/users/delta?$deltatoken=u1',
    groups: 'https://graph.test/v1.0/groups/delta?$deltatoken=g1',
  },
};

describe('applyUserChange', () => {
  it('merges the properties a delta entry carries onto the mirrored user', () => {
    expect(applyUserChange(user('ada'), { id: 'ada', accountEnabled: false })).toEqual({
      ...user('ada'),
      accountEnabled: false,
    });
    expect(applyUserChange(user('ada'), { id: 'ada', mail: null })?.mail).toBeNull();
  });

  it('removes a soft-deleted or deleted user', () => {
    expect(
      applyUserChange(user('ada'), { id: 'ada', '@removed': { reason: 'changed' } }),
    ).toBeUndefined();
    expect(
      applyUserChange(undefined, { id: 'x', '@removed': { reason: 'deleted' } }),
    ).toBeUndefined();
  });

  it('creates a new user from a full entry', () => {
    expect(
      applyUserChange(undefined, {
        id: 'new',
        userPrincipalName: 'new@contoso.test',
        mail: null,
        displayName: 'New',
        accountEnabled: true,
      }),
    ).toEqual({
      id: 'new',
      upn: 'new@contoso.test',
      mail: null,
      displayName: 'New',
      accountEnabled: true,
    });
  });
});

describe('applyGroupChange', () => {
  it('adds and removes direct members of both kinds, ignoring devices', () => {
    const next = applyGroupChange(group('g', ['ada', 'alan'], ['child']), {
      id: 'g',
      'members@delta': [
        { '@odata.type': userType, id: 'alan', '@removed': { reason: 'deleted' } },
        { '@odata.type': userType, id: 'grace' },
        { '@odata.type': groupType, id: 'child', '@removed': { reason: 'deleted' } },
        { '@odata.type': groupType, id: 'other' },
        { '@odata.type': '#microsoft.graph.device', id: 'laptop' },
      ],
    });
    expect(next).toEqual({
      id: 'g',
      displayName: 'team-g',
      users: ['ada', 'grace'],
      groups: ['other'],
    });
  });

  it('renames without touching members, and replays change nothing', () => {
    const renamed = applyGroupChange(group('g', ['ada']), { id: 'g', displayName: 'team-renamed' });
    expect(renamed).toEqual({ ...group('g', ['ada']), displayName: 'team-renamed' });
    const replay = { id: 'g', 'members@delta': [{ '@odata.type': userType, id: 'ada' }] };
    expect(applyGroupChange(renamed, replay)).toEqual(renamed);
  });

  it('removes a deleted group', () => {
    expect(
      applyGroupChange(group('g', []), { id: 'g', '@removed': { reason: 'changed' } }),
    ).toBeUndefined();
  });
});

describe('the stored mirror', () => {
  it('is replaced whole by a full read and loads back', () => {
    const { state } = testSourceDeps();
    state.set('u:stale', JSON.stringify(user('stale')));
    replaceMirror(state, directory, identity, t0);
    const view = loadMirror(state, identity);
    expect([...(view?.users.keys() ?? [])].sort()).toEqual(['ada', 'alan']);
    expect(view?.groups.get('parent')).toEqual(directory.groups[0]);
    expect(view?.appGroupIds).toEqual(new Set(['parent']));
    expect(loadMirror(state, 'https://graph.test|other-tenant')).toBeUndefined();
  });

  it('applies a round whose group spans several pages, with its new links', () => {
    const { state } = testSourceDeps();
    replaceMirror(state, directory, identity, t0);
    applyDeltaRound(
      state,
      {
        users: [
          { id: 'alan', accountEnabled: false },
          { id: 'ada', '@removed': { reason: 'changed' } },
        ],
        groups: [
          {
            id: 'child',
            displayName: 'team-child',
            'members@delta': [{ '@odata.type': userType, id: 'grace' }],
          },
          {
            id: 'child',
            'members@delta': [
              { '@odata.type': userType, id: 'alan', '@removed': { reason: 'deleted' } },
            ],
          },
          {
            id: 'fresh',
            displayName: 'team-fresh',
            'members@delta': [{ '@odata.type': groupType, id: 'child' }],
          },
        ],
        links: { users: 'u2', groups: 'g2' },
        appGroupIds: undefined,
      },
      new Date(t0.getTime() + 1000),
    );
    const view = loadMirror(state, identity);
    expect(view?.users.has('ada')).toBe(false);
    expect(view?.users.get('alan')?.accountEnabled).toBe(false);
    expect(view?.groups.get('child')?.users).toEqual(['grace']);
    expect(view?.groups.get('fresh')).toEqual({
      id: 'fresh',
      displayName: 'team-fresh',
      users: [],
      groups: ['child'],
    });
    expect(view?.appGroupIds).toBeUndefined();
    expect(usableDeltaLinks(state, identity, t0)).toEqual({ links: { users: 'u2', groups: 'g2' } });
  });

  it('leaves everything as it was when applying throws', () => {
    const { state } = testSourceDeps();
    replaceMirror(state, directory, identity, t0);
    const before = [...state.entries('')];
    const poisoned = {
      id: 'ada',
      get accountEnabled(): boolean {
        throw new Error('boom');
      },
    };
    expect(() =>
      applyDeltaRound(
        state,
        {
          users: [{ id: 'alan' }, poisoned],
          groups: [],
          links: { users: 'x', groups: 'y' },
          appGroupIds: [],
        },
        t0,
      ),
    ).toThrow('boom');
    expect([...state.entries('')]).toEqual(before);
  });

  it('asks for a full read without links, for another tenant, or when the links are a week old', () => {
    const { state } = testSourceDeps();
    expect(usableDeltaLinks(state, identity, t0)).toEqual({
      reason: 'no mirror of this tenant yet',
    });
    replaceMirror(state, { ...directory, links: undefined }, identity, t0);
    expect(usableDeltaLinks(state, identity, t0)).toEqual({ reason: 'no delta link stored' });
    replaceMirror(state, directory, identity, t0);
    expect(usableDeltaLinks(state, 'https://graph.test|other', t0)).toHaveProperty('reason');
    expect(
      usableDeltaLinks(state, identity, new Date(t0.getTime() + deltaTokenMaxAgeMs - 1)),
    ).toHaveProperty('links');
    expect(
      usableDeltaLinks(state, identity, new Date(t0.getTime() + deltaTokenMaxAgeMs + 1)),
    ).toHaveProperty('reason');
  });
});
