import { describe, expect, it } from 'vitest';

import { groupName, statusOf, toIdpUser } from '../../../../src/sources/google/map.js';

describe('google map', () => {
  it.each([
    [{ suspended: false, archived: false }, true],
    [{ suspended: true, archived: false }, false],
    [{ suspended: false, archived: true }, false],
    [{ suspended: true }, false],
    [{ suspended: false }, undefined],
    [{ archived: false }, undefined],
    [{}, undefined],
    [{ suspended: null, archived: null }, undefined],
  ])('status of %j is %s', (flags, expected) => {
    expect(statusOf(flags)).toBe(expected);
  });

  it('maps a user; the Google id is the external id and the primary e-mail the login', () => {
    expect(
      toIdpUser({
        id: '1234',
        primaryEmail: 'ada@example.com',
        name: { givenName: 'Ada', familyName: 'Lovelace' },
        suspended: false,
        archived: false,
      }),
    ).toEqual({
      externalId: '1234',
      login: 'ada@example.com',
      email: 'ada@example.com',
      displayName: 'Ada Lovelace',
      active: true,
    });
  });

  it('never maps a user whose status is unknown', () => {
    expect(toIdpUser({ id: '1', primaryEmail: 'x@example.com' })).toBeUndefined();
  });

  it('names a group by name, else e-mail, else id', () => {
    expect(groupName({ id: 'g', name: 'ai', email: 'ai@x' })).toBe('ai');
    expect(groupName({ id: 'g', name: '', email: 'ai@x' })).toBe('ai@x');
    expect(groupName({ id: 'g' })).toBe('g');
  });
});
