/**
 * The fault rule every simulator accepts, in process (`setFaults`) and over HTTP
 * (`POST /__sim/faults`). What a rule without `body` answers is simulator-specific; see each
 * simulator's fault defaults.
 */
import { z } from 'zod';

/**
 * A fault injected before authentication, rate limiting and the route handler, so a faulted
 * request never changes state. Rules are tried in order; the first that fires answers.
 */
export type FaultRule = {
  /** HTTP method to match (any when absent). */
  method?: string | undefined;
  /** Path without query to match exactly, or a prefix when it ends with `*` (any when absent). */
  path?: string | undefined;
  /** Status code of the injected response. */
  status: number;
  /** Fire at most this many times. */
  times?: number | undefined;
  /** Fire with this probability (0–1), drawn from the simulator's seeded PRNG. */
  probability?: number | undefined;
  /** Let this many matching calls through before the rule may fire. */
  afterCalls?: number | undefined;
  /** Response body; when absent the simulator's own error body for `status` is used. */
  body?: unknown;
  /** Extra response headers, laid over the simulator's defaults for `status`. */
  headers?: Record<string, string> | undefined;
  /** Hold the response this long first (real time), to make a client time out. */
  hangMs?: number | undefined;
  /** Drop the connection instead of answering (a connection reset). */
  reset?: boolean | undefined;
  /**
   * Send only the first half of the encoded body, with a `Content-Length` to match: a page cut
   * short, which the client reads as a complete answer of broken JSON.
   */
  truncate?: boolean | undefined;
};

/** Validates a fault rule sent to `POST /__sim/faults`; tied to `FaultRule` so they cannot drift. */
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
  reset: z.boolean().optional(),
  truncate: z.boolean().optional(),
}) satisfies z.ZodType<FaultRule>;

/** The body of `POST /__sim/faults`: a bare array of rules or `{ "rules": [...] }`. */
export function faultsBodySchema<R extends FaultRule>(rule: z.ZodType<R>) {
  return z.union([z.array(rule), z.object({ rules: z.array(rule) })]);
}

/** The rules of a parsed `POST /__sim/faults` body, whichever of the two forms it took. */
export function rulesOf<R>(body: R[] | { rules: R[] }): R[] {
  return Array.isArray(body) ? body : body.rules;
}
