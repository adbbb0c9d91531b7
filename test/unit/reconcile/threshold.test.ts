import { describe, expect, it } from 'vitest';

import type { Plan } from '../../../src/reconcile/plan-types.js';
import { checkThreshold } from '../../../src/reconcile/threshold.js';

const planWith = (deprovisions: number, managedUsers: number): Plan => ({
  operations: [],
  counts: deprovisions === 0 ? {} : { deprovisionUser: deprovisions },
  withheld: 0,
  managedUsers,
  warnings: [],
});

describe('checkThreshold', () => {
  it.each([
    [0, 10, { maxCount: 1, maxPercent: 1 }, false],
    [3, 100, { maxCount: 3, maxPercent: 5 }, false],
    [4, 100, { maxCount: 3, maxPercent: 50 }, true],
    [6, 100, { maxCount: 50, maxPercent: 5 }, true],
    [6, 100, { maxCount: 0, maxPercent: 0 }, false],
    [1, 0, { maxCount: 10, maxPercent: 50 }, true],
  ])('%i of %i managed with %o → exceeded %s', (count, managed, threshold, exceeded) => {
    expect(checkThreshold(planWith(count, managed), threshold).exceeded).toBe(exceeded);
  });

  it('names the variable that refused', () => {
    const verdict = checkThreshold(planWith(30, 1000), { maxCount: 25, maxPercent: 20 });
    expect(verdict).toEqual({
      exceeded: true,
      reason: '30 deprovisions exceed DEPROVISION_MAX=25',
    });
  });
});
