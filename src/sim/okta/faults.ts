/**
 * Okta's answer to a fired fault rule, and the simulator's seeded PRNG. Matching is the shared
 * kit's (`../shared/faults.ts`); rules are checked before authentication, rate limiting and the
 * handler, so a faulted request changes nothing and does not count against a limit.
 */
import { faultResponse } from '../shared/faults.js';
import { createPrng as createSeededPrng } from '../shared/prng.js';
import type { ApiRequest, DispatchDeps } from './dispatch.js';
import { faultBody, type SimResponse } from './errors.js';
import { bucketOf } from './rate-limits.js';
import type { FaultRule } from './types.js';

/**
 * mulberry32 from `seed`, as the bare function the directory and the org generator draw from
 * (ids, generated orgs, error ids).
 */
export function createPrng(seed: number): () => number {
  return createSeededPrng(seed).next;
}

/** Answers an injected fault: Okta's error body, and for a 429 the bucket's headers. */
export function faultAnswer(deps: DispatchDeps, rule: FaultRule, request: ApiRequest): SimResponse {
  return faultResponse(rule, {
    body: status => faultBody(status, deps.errorId()),
    headers: status =>
      status === 429 ? deps.limiter.peek(bucketOf(request.method, request.url.pathname)) : {},
  });
}
