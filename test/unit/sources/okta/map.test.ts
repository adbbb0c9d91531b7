import { describe, expect, it } from 'vitest';

import {
  isOktaGroupInScope,
  toGroupScope,
  toIdpUser,
  toUserRecord,
  type OktaSelector,
} from '../../../../src/sources/okta/map.js';

const selector = (overrides: Partial<OktaSelector> = {}): OktaSelector => ({
  scope: toGroupScope({ ids: ['g-everyone'], namePrefix: 'ai-', all: false }),
  types: ['OKTA_GROUP', 'APP_GROUP'],
  ...overrides,
});

describe('Okta scope', () => {
  it('applies the allowed types to every selector but an explicit id', () => {
    expect(isOktaGroupInScope(selector(), { id: 'g1', name: 'ai-x', type: 'OKTA_GROUP' })).toBe(
      true,
    );
    expect(isOktaGroupInScope(selector(), { id: 'g2', name: 'ai-x', type: 'BUILT_IN' })).toBe(
      false,
    );
    expect(
      isOktaGroupInScope(selector(), { id: 'g-everyone', name: 'Everyone', type: 'BUILT_IN' }),
    ).toBe(true);
    expect(
      isOktaGroupInScope(selector({ types: ['OKTA_GROUP'] }), {
        id: 'g3',
        name: 'ai-ad',
        type: 'APP_GROUP',
      }),
    ).toBe(false);
  });

  it('adds the groups assigned to the app', () => {
    const withApp = selector({ appGroupIds: new Set(['g4']) });
    expect(isOktaGroupInScope(withApp, { id: 'g4', name: 'sales', type: 'OKTA_GROUP' })).toBe(true);
    expect(isOktaGroupInScope(withApp, { id: 'g5', name: 'sales', type: 'OKTA_GROUP' })).toBe(
      false,
    );
  });
});

describe('Okta users', () => {
  it('keeps the status and derives the display name', () => {
    const record = toUserRecord({
      id: '00u1',
      status: 'SUSPENDED',
      profile: { login: 'ada', email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' },
    });
    expect(record).toEqual({
      id: '00u1',
      status: 'SUSPENDED',
      login: 'ada',
      email: 'ada@example.com',
      displayName: 'Ada Lovelace',
    });
    expect(toIdpUser(record, ['ACTIVE'])).toMatchObject({
      externalId: '00u1',
      login: 'ada',
      active: false,
    });
    expect(toIdpUser({ ...record, status: 'SOMETHING_NEW' }, ['ACTIVE']).active).toBe(false);
  });
});
