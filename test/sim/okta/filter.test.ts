import { describe, expect, it } from 'vitest';

import { OktaError } from '../../../src/sim/okta/errors.js';
import { compileFilter, type FilterAttribute } from '../../../src/sim/okta/filter.js';

type Row = { id: string; type: string; lastUpdated: string; lastMembershipUpdated: string };

const schema: Record<string, FilterAttribute<Row>> = {
  id: { kind: 'string', get: r => r.id, ops: [] },
  type: { kind: 'string', get: r => r.type, ops: [] },
  lastUpdated: { kind: 'timestamp', get: r => r.lastUpdated, ops: ['gt', 'ge', 'lt', 'le'] },
  lastMembershipUpdated: { kind: 'timestamp', get: r => r.lastMembershipUpdated, ops: ['gt'] },
};

const rows: Row[] = [
  {
    id: 'a',
    type: 'OKTA_GROUP',
    lastUpdated: '2015-10-01T00:00:00.000Z',
    lastMembershipUpdated: '2015-12-01T00:00:00.000Z',
  },
  {
    id: 'b',
    type: 'OKTA_GROUP',
    lastUpdated: '2015-12-01T00:00:00.000Z',
    lastMembershipUpdated: '2015-01-01T00:00:00.000Z',
  },
  {
    id: 'c',
    type: 'APP_GROUP',
    lastUpdated: '2015-12-01T00:00:00.000Z',
    lastMembershipUpdated: '2015-12-01T00:00:00.000Z',
  },
  {
    id: 'd',
    type: 'OKTA_GROUP',
    lastUpdated: '2015-01-01T00:00:00.000Z',
    lastMembershipUpdated: '2015-01-01T00:00:00.000Z',
  },
];

const ids = (expression: string) => rows.filter(compileFilter(expression, schema)).map(r => r.id);

describe("Okta's filter expressions", () => {
  it("evaluates Okta's documented example with and, or and parentheses", () => {
    expect(
      ids(
        'type eq "OKTA_GROUP" and (lastUpdated gt "2015-11-11T00:00:00.000Z" or lastMembershipUpdated gt "2015-11-11T00:00:00.000Z")',
      ),
    ).toEqual(['a', 'b']);
  });

  it('binds and tighter than or, and compares strings without case', () => {
    expect(ids('id eq "D" or type eq "APP_GROUP" and id eq "c"')).toEqual(['c', 'd']);
    expect(ids('lastUpdated ge "2015-12-01T00:00:00.000Z"')).toEqual(['b', 'c']);
  });

  it.each([
    ['profile.name eq "x"', 'unsupported attribute'],
    ['type gt "A"', 'operator "gt" is not supported'],
    ['lastUpdated gt "yesterday"', 'is not a timestamp'],
    ['(type eq "A"', 'missing ")"'],
    ['type eq "A" extra', 'unexpected text'],
    ['type eq "A', 'unterminated string'],
  ])('answers E0000031 for %s', (expression, cause) => {
    try {
      ids(expression);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(OktaError);
      expect((error as OktaError).code).toBe('E0000031');
      expect((error as OktaError).causes[0]).toContain(cause);
    }
  });
});
