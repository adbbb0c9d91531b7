import { describe, expect, it } from 'vitest';

import { applyHeapGrowth } from '../../../src/cli/heap-growth.js';

describe('applyHeapGrowth', () => {
  it('applies the default 50 % when the variable is not set', () => {
    expect(applyHeapGrowth({})).toBe(50);
  });

  it('applies a valid value, and keeps V8 default for 0', () => {
    expect(applyHeapGrowth({ IDP_SYNC_HEAP_GROWTH_PERCENT: '80' })).toBe(80);
    expect(applyHeapGrowth({ IDP_SYNC_HEAP_GROWTH_PERCENT: '0' })).toBeUndefined();
  });

  it('applies nothing for a value configuration checking refuses', () => {
    for (const bad of ['abc', '-5', '12.5', '401']) {
      expect(applyHeapGrowth({ IDP_SYNC_HEAP_GROWTH_PERCENT: bad })).toBeUndefined();
    }
  });
});
