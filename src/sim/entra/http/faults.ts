/**
 * Fault rules: matched before authentication, throttling and the handler, in order; the first
 * rule that fires answers the request. Also applied to each inner `$batch` request.
 */
import { z } from 'zod';

import type { Prng } from '../prng.js';
import type { EntraFaultRule } from '../model.js';

/** Validates fault rules sent to `POST /__sim/faults`; tied to `EntraFaultRule` so they cannot drift. */
export const entraFaultRuleSchema = z.object({
  method: z.string().optional(),
  path: z.string().optional(),
  status: z.int().min(100).max(599),
  times: z.int().min(0).optional(),
  probability: z.number().min(0).max(1).optional(),
  afterCalls: z.int().min(0).optional(),
  body: z.unknown().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  hangMs: z.int().min(0).optional(),
  inBatch: z.boolean().optional(),
}) satisfies z.ZodType<EntraFaultRule>;

/** The active rules with their match and fire counts. */
export type Faults = {
  set(rules: readonly EntraFaultRule[]): void;
  clear(): void;
  /** The rule that fires for this request, if any (counts are updated). */
  match(method: string, path: string, inBatch: boolean): EntraFaultRule | undefined;
};

function pathMatches(pattern: string | undefined, path: string): boolean {
  if (pattern === undefined) {
    return true;
  }
  return pattern.endsWith('*') ? path.startsWith(pattern.slice(0, -1)) : path === pattern;
}

/** Creates an empty rule set drawing probabilities from `prng`. */
export function createFaults(prng: Prng): Faults {
  let entries: { rule: EntraFaultRule; seen: number; fired: number }[] = [];
  return {
    set: rules => {
      entries = rules.map(rule => ({ rule, seen: 0, fired: 0 }));
    },
    clear: () => {
      entries = [];
    },
    match: (method, path, inBatch) => {
      for (const entry of entries) {
        const { rule } = entry;
        if (
          (rule.method !== undefined && rule.method.toUpperCase() !== method.toUpperCase()) ||
          !pathMatches(rule.path, path) ||
          (rule.inBatch !== undefined && rule.inBatch !== inBatch)
        ) {
          continue;
        }
        entry.seen += 1;
        if (entry.seen <= (rule.afterCalls ?? 0)) {
          continue;
        }
        if (rule.times !== undefined && entry.fired >= rule.times) {
          continue;
        }
        if (rule.probability !== undefined && prng.next() >= rule.probability) {
          continue;
        }
        entry.fired += 1;
        return rule;
      }
      return undefined;
    },
  };
}
