/**
 * Fault injection. Rules are matched before routing, authentication and the handler, so a
 * faulted request — a write included — never changes state: the client sees a failure and the
 * database is exactly as before. Probabilities come from a seeded PRNG, so runs repeat.
 */
import { STATUS_CODES } from 'node:http';

import { z } from 'zod';

import type { SimResponse } from './errors.js';
import type { FaultRule } from './types.js';

/** Validates fault rules sent to `POST /__sim/faults`; tied to `FaultRule` so they cannot drift. */
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
}) satisfies z.ZodType<FaultRule>;

/** Chooses the fault, if any, for each request. */
export type FaultInjector = {
  setRules(rules: readonly FaultRule[]): void;
  clear(): void;
  /** The rule that fires for this request (and counts it), or `undefined`. */
  match(method: string, path: string): FaultRule | undefined;
};

/** mulberry32: small, fast and good enough for test randomness. */
function createPrng(seed: number): () => number {
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

/** Creates an injector with its own PRNG; `rules` start empty unless given. */
export function createFaultInjector(seed: number, rules: readonly FaultRule[] = []): FaultInjector {
  const random = createPrng(seed);
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

function proxyError(status: number, message: string, type: string): unknown {
  return { error: { message, type, param: 'None', code: String(status) } };
}

/** A realistic LiteLLM body for an injected status. */
function defaultBody(status: number): unknown {
  switch (status) {
    case 401:
      return proxyError(
        401,
        'Authentication Error, Invalid proxy server token passed.',
        'auth_error',
      );
    case 404:
      return { detail: 'Not Found' };
    case 422:
      return { detail: [{ type: 'missing', loc: ['body'], msg: 'Field required', input: null }] };
    case 429:
      // LiteLLM's rate limiter answers through the auth error handler with `type: "None"`.
      return proxyError(429, 'Crossed TPM / RPM / Max Parallel Request Limit', 'None');
    default: {
      const text = STATUS_CODES[status] ?? 'Error';
      return proxyError(
        status,
        status >= 500 ? `Internal Server Error, ${text}` : text,
        'internal_server_error',
      );
    }
  }
}

/** The response a fired rule sends. */
export function faultResponse(rule: FaultRule): SimResponse {
  const headers: Record<string, string> = rule.status === 429 ? { 'retry-after': '1' } : {};
  return {
    status: rule.status,
    body: rule.body === undefined ? defaultBody(rule.status) : rule.body,
    headers: { ...headers, ...(rule.headers ?? {}) },
  };
}
