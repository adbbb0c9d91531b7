/**
 * Fault injection and the simulator's seeded PRNG. Rules are matched before authentication, rate
 * limiting and the handler, so a faulted request changes nothing; probabilities come from the
 * PRNG, so runs repeat.
 */
import { z } from 'zod';

import type { FaultRule } from './types.js';

/** Validates fault rules sent to `POST /__sim/faults`. */
export const faultRuleSchema = z.object({
  method: z.string().optional(),
  path: z.string().optional(),
  status: z.int().min(100).max(599),
  times: z.int().min(0).optional(),
  probability: z.number().min(0).max(1).optional(),
  afterCalls: z.int().min(0).optional(),
  body: z.unknown().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  hangMs: z.int().min(0).optional(),
});

/** Chooses the fault, if any, for each request. */
export type FaultInjector = {
  setRules(rules: readonly FaultRule[]): void;
  clear(): void;
  /** The rule that fires for this request (and counts it), or `undefined`. */
  match(method: string, path: string): FaultRule | undefined;
};

/** mulberry32: small, fast and good enough for test randomness. */
export function createPrng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pathMatches(pattern: string | undefined, path: string): boolean {
  if (pattern === undefined) {
    return true;
  }
  return pattern.endsWith('*') ? path.startsWith(pattern.slice(0, -1)) : pattern === path;
}

/** Creates an injector drawing from `random`; `rules` start empty unless given. */
export function createFaultInjector(
  random: () => number,
  rules: readonly FaultRule[] = [],
): FaultInjector {
  let active: { rule: FaultRule; seen: number; fired: number }[] = [];
  const setRules = (next: readonly FaultRule[]) => {
    active = next.map(rule => ({ rule, seen: 0, fired: 0 }));
  };
  setRules(rules);
  return {
    setRules,
    clear: () => setRules([]),
    match(method, path) {
      for (const entry of active) {
        const { rule } = entry;
        if (rule.method !== undefined && rule.method.toUpperCase() !== method) {
          continue;
        }
        if (!pathMatches(rule.path, path)) {
          continue;
        }
        entry.seen += 1;
        if (entry.seen <= (rule.afterCalls ?? 0)) {
          continue;
        }
        if (rule.times !== undefined && entry.fired >= rule.times) {
          continue;
        }
        if (rule.probability !== undefined && random() >= rule.probability) {
          continue;
        }
        entry.fired += 1;
        return rule;
      }
      return undefined;
    },
  };
}
