/**
 * Entra's fault rules: the shared kit's rule with `inBatch`, and what a fired rule answers on the
 * Graph and the login side. Rules are matched before authentication, throttling and the handler,
 * in order; the first rule that fires answers. They are also applied to each inner `$batch`
 * request.
 */
import { z } from 'zod';

import { faultRuleSchema } from '../../shared/fault-rule.js';
import { faultResponse, retryAfterOne } from '../../shared/faults.js';
import type { SimResponse } from '../graph/errors.js';
import type { EntraFaultRule } from '../model.js';

/** Validates fault rules sent to `POST /__sim/faults`; tied to `EntraFaultRule` so they cannot drift. */
export const entraFaultRuleSchema = faultRuleSchema.extend({
  inBatch: z.boolean().optional(),
}) satisfies z.ZodType<EntraFaultRule>;

/** Keeps the rules that apply to a top-level (`false`) or an inner `$batch` (`true`) request. */
export function inBatchScope(inBatch: boolean): (rule: EntraFaultRule) => boolean {
  return rule => rule.inBatch === undefined || rule.inBatch === inBatch;
}

/**
 * The answer of a fired rule: `defaultBody` unless the rule has a body, `headers` and then
 * `Retry-After: 1` on a 429 or 503 under the rule's own headers.
 */
export function entraFaultResponse(
  rule: EntraFaultRule,
  defaultBody: (status: number) => unknown,
  headers: Record<string, string> = {},
): SimResponse {
  // Entra's rules treat `body: null` as no body (the other simulators send the `null`).
  return faultResponse(
    { ...rule, body: rule.body ?? undefined },
    {
      body: defaultBody,
      headers: status => ({ ...headers, ...retryAfterOne(status, [429, 503]) }),
    },
  );
}
