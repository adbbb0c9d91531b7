import { describe, expect, it } from 'vitest';

import {
  groupsPageSchema,
  membersPageSchema,
  usersPageSchema,
} from '../../../../src/sources/google/api.js';

describe('Google list pages', () => {
  it.each([
    ['users', usersPageSchema, 'admin#directory#users'],
    ['groups', groupsPageSchema, 'admin#directory#groups'],
    ['members', membersPageSchema, 'admin#directory#members'],
  ] as const)(
    'an empty %s page is accepted only with its kind, never as a bare {}',
    (_name, schema, kind) => {
      expect(schema.safeParse({ kind }).success).toBe(true);
      // A 200 with `{}` (a proxy, a truncated answer) must not read as "this list is empty".
      expect(schema.safeParse({}).success).toBe(false);
      expect(schema.safeParse({ kind: 'admin#directory#other' }).success).toBe(false);
    },
  );
});
