import type { Target } from '../target/types.js';
import type { Plan } from './plan-types.js';
import { collect } from './read-target.js';

/**
 * How many keys the plan's deprovisions would delete: a dry run reads them (read-only) so the
 * operator sees the real cost of a plan before anything is applied.
 */
export async function countKeysToDelete(
  target: Target,
  plan: Plan,
  signal?: AbortSignal,
): Promise<number> {
  let count = 0;
  for (const op of plan.operations) {
    if (op.kind === 'deprovisionUser') {
      count += (await collect(target.listUserKeys(op.userId, signal))).length;
    }
  }
  return count;
}
