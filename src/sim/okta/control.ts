/**
 * The test-control routes under `/__sim/`, served only with the `control` option. They are not
 * part of Okta and need no token; each maps onto the in-process simulator API. Directory changes
 * go through Okta's own management endpoints (lifecycle, memberships, group profile) instead.
 */
import { z } from 'zod';

import type { SimResponse } from './errors.js';
import { faultRuleSchema } from './faults.js';
import { scenarioSchema } from './scenario.js';
import type { OktaSimulator } from './simulator.js';

const faultsBodySchema = z.union([
  z.array(faultRuleSchema),
  z.object({ rules: z.array(faultRuleSchema) }),
]);
const latencyBodySchema = z.object({ ms: z.int().min(0) });
const tokensBodySchema = z.object({ apiTokens: z.array(z.string().min(1)) });

function badRequest(error: unknown): SimResponse {
  return { status: 400, body: { error } };
}

/** A summary of the directory, for humans and tests driving a separate process. */
function stateOf(sim: OktaSimulator): unknown {
  const { directory } = sim;
  return {
    users: [...directory.users.values()].map(u => ({
      id: u.id,
      login: u.profile.login,
      status: u.status,
    })),
    groups: [...directory.groups.values()].map(g => ({
      id: g.id,
      name: g.profile.name,
      type: g.type,
      members: g.type === 'BUILT_IN' ? directory.users.size : g.members.size,
    })),
    apps: [...directory.apps.values()],
  };
}

/** Serves one `/__sim/*` request. */
export function handleControl(
  sim: OktaSimulator,
  loadScenario: (scenario: z.infer<typeof scenarioSchema>) => void,
  method: string,
  path: string,
  raw: Buffer,
): SimResponse {
  let body: unknown;
  try {
    body = raw.length === 0 ? undefined : (JSON.parse(raw.toString('utf8')) as unknown);
  } catch {
    return badRequest('body is not JSON');
  }
  switch (`${method} ${path}`) {
    case 'GET /__sim/state':
      return { status: 200, body: stateOf(sim) };
    case 'GET /__sim/calls':
      return { status: 200, body: sim.calls() };
    case 'POST /__sim/scenario': {
      const parsed = scenarioSchema.safeParse(body);
      if (!parsed.success) {
        return badRequest(parsed.error.issues);
      }
      try {
        loadScenario(parsed.data);
      } catch (error) {
        return badRequest(String(error));
      }
      return { status: 200, body: stateOf(sim) };
    }
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
    case 'POST /__sim/api-tokens': {
      const parsed = tokensBodySchema.safeParse(body);
      if (!parsed.success) {
        return badRequest(parsed.error.issues);
      }
      sim.setApiTokens(parsed.data.apiTokens);
      return { status: 200, body: { apiTokens: parsed.data.apiTokens.length } };
    }
    case 'POST /__sim/reset-counters':
      sim.resetCounters();
      return { status: 200, body: { reset: true } };
    default:
      return { status: 404, body: { error: 'unknown control route' } };
  }
}
