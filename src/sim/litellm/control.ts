/**
 * The test-control routes under `/__sim/`, served only with the `control` option. They are not
 * part of LiteLLM and need no master key; each maps onto the in-process simulator API.
 */
import { z } from 'zod';

import type { SimResponse } from './errors.js';
import { faultRuleSchema } from './faults.js';
import type { LiteLLMSimulator } from './types.js';

const faultsBodySchema = z.union([
  z.array(faultRuleSchema),
  z.object({ rules: z.array(faultRuleSchema) }),
]);

/** The part of the simulator API the control routes drive. */
export type SimControls = Omit<LiteLLMSimulator, 'url' | 'port' | 'close'>;

const latencyBodySchema = z.object({ ms: z.int().min(0) });

function parseJson(raw: Buffer): unknown {
  return raw.length === 0 ? undefined : (JSON.parse(raw.toString('utf8')) as unknown);
}

function badRequest(error: unknown): SimResponse {
  return { status: 400, body: { error } };
}

/** Serves one `/__sim/*` request. */
export function handleControl(
  sim: SimControls,
  method: string,
  path: string,
  raw: Buffer,
): SimResponse {
  const route = `${method} ${path}`;
  let body: unknown;
  try {
    body = parseJson(raw);
  } catch {
    return badRequest('body is not JSON');
  }
  switch (route) {
    case 'GET /__sim/state':
      return { status: 200, body: sim.state() };
    case 'GET /__sim/writes':
      return { status: 200, body: sim.writes() };
    case 'GET /__sim/calls':
      return { status: 200, body: sim.calls() };
    case 'POST /__sim/faults': {
      const parsed = faultsBodySchema.safeParse(body);
      if (!parsed.success) {
        return badRequest(parsed.error.issues);
      }
      const rules = Array.isArray(parsed.data) ? parsed.data : parsed.data.rules;
      sim.setFaults(rules);
      return { status: 200, body: { rules: rules.length } };
    }
    case 'DELETE /__sim/faults':
      sim.clearFaults();
      return { status: 200, body: { rules: 0 } };
    case 'POST /__sim/latency': {
      const parsed = latencyBodySchema.safeParse(body);
      if (!parsed.success) {
        return badRequest(parsed.error.issues);
      }
      sim.setLatency(parsed.data.ms);
      return { status: 200, body: { ms: parsed.data.ms } };
    }
    case 'POST /__sim/reset':
      sim.reset();
      return { status: 200, body: { reset: true } };
    default:
      return { status: 404, body: { detail: 'Not Found' } };
  }
}
