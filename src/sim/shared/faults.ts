/**
 * Fault matching and the answer a fired rule sends. Rules are matched before anything else looks
 * at the request, so a faulted request — a write included — leaves the simulator's state as it
 * was. Probabilities come from the simulator's seeded PRNG, so runs repeat.
 */
import type { FaultRule } from './fault-rule.js';
import type { SimResponse } from './http-io.js';

/** The active rules with their match and fire counts. */
export type FaultInjector<R extends FaultRule = FaultRule> = {
  /** Replaces the rules; their counts start again from zero. */
  setRules(rules: readonly R[]): void;
  clear(): void;
  /**
   * The rule that fires for this request (its counts are updated), or `undefined`. `applies`
   * narrows the candidates further (Entra's `inBatch`); a rule it refuses is not counted as seen.
   */
  match(method: string, path: string, applies?: (rule: R) => boolean): R | undefined;
};

function pathMatches(pattern: string | undefined, path: string): boolean {
  if (pattern === undefined) {
    return true;
  }
  return pattern.endsWith('*') ? path.startsWith(pattern.slice(0, -1)) : pattern === path;
}

/**
 * Creates an injector drawing probabilities from `random`. A simulator passes its main PRNG when
 * fault draws may share the id stream, or a PRNG of its own when they must not depend on it.
 */
export function createFaultInjector<R extends FaultRule>(
  random: () => number,
  rules: readonly R[] = [],
): FaultInjector<R> {
  let active: { rule: R; seen: number; fired: number }[] = [];
  const setRules = (next: readonly R[]): void => {
    active = next.map(rule => ({ rule, seen: 0, fired: 0 }));
  };
  setRules(rules);
  return {
    setRules,
    clear: () => setRules([]),
    match(method, path, applies) {
      for (const entry of active) {
        const { rule } = entry;
        if (
          (rule.method !== undefined && rule.method.toUpperCase() !== method.toUpperCase()) ||
          !pathMatches(rule.path, path) ||
          (applies !== undefined && !applies(rule))
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

/** What a simulator answers for a fired rule that leaves parts out. */
export type FaultDefaults = {
  /** The body for `status` when the rule has none: the vendor's own error shape. */
  body(status: number): unknown;
  /** Headers for `status` (e.g. `Retry-After`), under the rule's own `headers`. */
  headers?(status: number): Record<string, string>;
};

/**
 * The response a fired rule sends. The default body is only built when the rule has none,
 * because building it may draw from the simulator's PRNG (Okta's `errorId`).
 */
export function faultResponse(rule: FaultRule, defaults: FaultDefaults): SimResponse {
  const headers = { ...defaults.headers?.(rule.status), ...rule.headers };
  const body = rule.body === undefined ? defaults.body(rule.status) : rule.body;
  const cut = rule.reset === true ? 'reset' : rule.truncate === true ? 'truncate' : undefined;
  return { status: rule.status, body, headers, ...(cut === undefined ? {} : { cut }) };
}

/** `Retry-After: 1` when `status` is one of `statuses`, so a retrying client does not wait long. */
export function retryAfterOne(status: number, statuses: readonly number[]): Record<string, string> {
  return statuses.includes(status) ? { 'retry-after': '1' } : {};
}
